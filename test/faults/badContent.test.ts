/**
 * Bad repository content battery against the real server (`scripts/start.ts` as a child process) and the
 * pipeline: every kind of bad content a tracked repository could hold — odd file names, symbolic links,
 * submodules, huge or binary files, broken front matter, non-UTF-8 text, script injection — pushed, then
 * rebuilt in full, plus documents the site's renderer refuses (support/rendererBattery.ts). Content
 * problems become diagnostics while the rest of the site builds, and the served
 * pages carry no script. Prints a table of kind → outcome. (Bad HTTP deliveries: badHttpInput.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { rawRequest } from '../support/rawHttp.ts';
import { printTable, type Row } from '../support/printTable.ts';
import { RENDERER_BATTERY } from '../support/rendererBattery.ts';
import { waitForBuild } from '../support/startServerProcess.ts';
import type { SiteFixture } from '../support/siteFixture.ts';
import { startBadInputSite } from '../support/startBadInputSite.ts';
import { watchLatency } from '../support/watchLatency.ts';

const MB = 1024 * 1024;

describe('bad repository content: each bad file becomes a diagnostic, the rest of the site builds', () => {
  let site: SiteFixture;
  let url: string;
  const contentRows: Row[] = [];

  before(async () => {
    site = await startBadInputSite();
    url = site.server.url;
  });

  after(async () => {
    await site?.close();
  });

  it('turns bad files in a tracked repository into diagnostics while the rest of the site builds (push and full rebuild)', async (t) => {
    const release = await site.currentRelease();
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256));
    const latin1 = Buffer.from('# Caf\xe9 cr\xe8me\n\nDu texte en Latin-1, pas en UTF-8 : \xe0 bient\xf4t.\n', 'latin1');
    const huge = `# Huge\n\n${'All work and no play makes Jack a dull boy.\n'.repeat(Math.ceil((5 * MB + 1) / 44))}`;
    const xss = [
      '# XSS page',
      '',
      'Visible text of the XSS page.',
      '',
      '<script>alert("xss-script")</script>',
      '',
      '<img src="x.png" onerror="alert(\'xss-onerror\')">',
      '',
      '[click me](javascript:alert("xss-link"))',
      '',
      '<a href="JaVaScRiPt:alert(\'xss-a\')">mixed case</a> <a href="&#106;avascript:alert(1)">entity</a>',
      '',
      '<svg onload="alert(\'xss-svg\')"><circle r="1"/></svg>',
      '',
      '<iframe src="javascript:alert(\'xss-iframe\')"></iframe>',
      '',
      '<div style="background:url(javascript:alert(1))" onclick="alert(\'xss-click\')">styled</div>',
      '',
    ].join('\n');
    const files = {
      'docs/guide.md': '---\ntitle: Guide\n---\nThe guide, updated next to bad files. GOOD-TEXT-7d1.\n',
      'docs/a..b.md': '# Dots in the name\n\nTwo dots.\n',
      'docs/new\nline.md': '# Newline in the name\n',
      'docs/link.md': { symlink: '../README.md' },
      'docs/escape.md': { symlink: '/etc/passwd' },
      'docs/sub': { submodule: 'a'.repeat(40) },
      'docs/huge.md': huge,
      'docs/binary.md': binary,
      'docs/logo.png': binary,
      'docs/bad-front.md': '---\ntitle: [unclosed\n  - : : nope\n---\nBody after broken front matter.\n',
      'docs/latin1.md': latin1,
      'docs/xss.md': xss,
      'docs/empty.md': '',
      'docs/deep-quote.md': `# Deep quote\n\n${'> '.repeat(500)}deep quote\n`,
      // ~160 KB, but nested 400 deep: markdown parsers are slow on it (seconds), which must not stall the server.
      'docs/deep-list.md': `# Deep list\n\n${Array.from({ length: 400 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')}\n`,
      // 40 KB the markdown parser needs seconds for (unclosed emphasis): transformed in a worker thread.
      'docs/slow-emphasis.md': `# Slow emphasis\n\n${'*a'.repeat(20_000)}\n`,
      ...RENDERER_BATTERY,
    };
    const beforeSha = site.head;
    const sha = await site.commit(files, { message: 'docs: bad files' });
    const listed = Object.keys(files); // GitHub lists a submodule's path like a file's
    const d = await site.push(sha, { before: beforeSha, commits: [{ added: listed.filter((p) => p !== 'docs/guide.md'), modified: ['docs/guide.md'] }] });
    const ack = await rawRequest(`${url}/webhook`, { headers: d.headers, body: d.body });
    assert.equal(ack.status, 202, ack.text);
    // While it builds, how long does the server take to answer /healthz? (Printed, not asserted.)
    const stalls = watchLatency(`${url}/healthz`);
    const pushed = await waitForBuild(url, ack.json.id);
    const worst = await stalls.stop();
    t.diagnostic(
      `while the push build ran: /healthz answered ${worst.count} times, slowest ${worst.maxMs} ms (transform ${pushed.phases.transform} ms, build ${pushed.phases.build} ms)`,
    );
    await checkContentBuild(t, 'push (changed files read one by one)', pushed, release);

    const full = await rawRequest(`${url}/rebuild`, {
      headers: { authorization: `Bearer ${site.rebuildToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ full: true }),
    });
    assert.equal(full.status, 202, full.text);
    const rebuilt = await waitForBuild(url, full.json.id);
    await checkContentBuild(t, 'full rebuild (whole tarball)', rebuilt, pushed.release);

    // What the reader gets: the good text, no script, no handler, no javascript: URL, no /etc/passwd.
    const guide = await (await fetch(`${url}/widgets/guide/`)).text();
    assert.match(guide, /GOOD-TEXT-7d1/);
    const xssPage = await fetch(`${url}/widgets/xss/`);
    assert.equal(xssPage.status, 200);
    const html = await xssPage.text();
    assert.match(html, /Visible text of the XSS page/);
    const main = html.slice(html.indexOf('Visible text of the XSS page'));
    for (const bad of [/alert\(/, /<script[^>]*>[^<]*xss/i, /\sonerror=/i, /\sonload=/i, /\sonclick=/i, /href="\s*javascript:/i, /<iframe/i]) {
      assert.doesNotMatch(main, bad, `XSS page serves ${bad}`);
    }
    for (const path of ['/widgets/', '/widgets/guide/']) assert.equal((await fetch(`${url}${path}`)).status, 200, path);
    const everything = await Promise.all(['/widgets/link/', '/widgets/escape/'].map(async (p) => [p, (await fetch(`${url}${p}`)).status] as const));
    for (const [p, status] of everything) assert.equal(status, 404, `${p}: a symbolic link is never published`);
    printTable(t, 'Content battery (kind → outcome in the build record)', contentRows);
    assert.ok(
      contentRows.every((r) => r.ok),
      contentRows
        .filter((r) => !r.ok)
        .map((r) => `${r.kind}: ${r.outcome}`)
        .join('\n'),
    );
  });

  async function checkContentBuild(t: TestContext, how: string, build: any, previousRelease: string | undefined): Promise<void> {
    assert.equal(build.state, 'succeeded', `${how}: ${JSON.stringify(build.error)}`);
    assert.notEqual(build.release, previousRelease, `${how}: a new release is live`);
    const widgets = build.sources.find((s: any) => s.id === 'widgets');
    const diags = widgets.diagnostics as Array<{ file: string; kind: string; message: string }>;
    const about = (file: string) => diags.filter((x) => x.file === file);
    /** Published (its page is served with its text) or reported (a diagnostic names the file). */
    const servedOrReported =
      (path: string, text: RegExp) =>
      async (ds: typeof diags): Promise<boolean> => {
        if (ds.length) return true;
        const res = await fetch(`${url}${path}`);
        return res.status === 200 && text.test(await res.text());
      };
    const expectations: Array<{ kind: string; file: string; want: (ds: typeof diags) => boolean | Promise<boolean>; what: string }> = [
      { kind: 'symlink to ../README.md', file: 'docs/link.md', want: (ds) => ds.some((x) => /symbolic link/.test(x.message)), what: 'skipped: symbolic link' },
      { kind: 'symlink to /etc/passwd', file: 'docs/escape.md', want: (ds) => ds.some((x) => /symbolic link/.test(x.message)), what: 'skipped: symbolic link' },
      {
        kind: 'submodule under docs/',
        file: 'docs/sub',
        what: how.startsWith('push') ? 'not published (reported, or not yet: see report)' : 'skipped: submodule',
        want: async (ds) => ds.some((x) => /submodule/.test(x.message)) || (how.startsWith('push') && (await fetch(`${url}/widgets/sub/`)).status === 404),
      },
      { kind: 'markdown over 5 MB', file: 'docs/huge.md', want: (ds) => ds.some((x) => /limit/.test(x.message)), what: 'skipped: over the size limit' },
      { kind: 'binary bytes in a .md', file: 'docs/binary.md', want: (ds) => ds.some((x) => x.kind === 'encoding'), what: 'encoding diagnostic' },
      { kind: 'Latin-1 (non-UTF-8) markdown', file: 'docs/latin1.md', want: (ds) => ds.some((x) => x.kind === 'encoding'), what: 'encoding diagnostic' },
      {
        kind: 'invalid YAML front matter',
        file: 'docs/bad-front.md',
        want: (ds) => ds.some((x) => x.kind === 'front-matter'),
        what: 'front-matter diagnostic',
      },
      {
        kind: 'XSS: script/onerror/javascript:',
        file: 'docs/xss.md',
        want: (ds) => ds.some((x) => x.kind === 'html'),
        what: 'html diagnostics (served HTML checked below)',
      },
      {
        kind: 'file name with ".."',
        file: 'docs/a..b.md',
        want: servedOrReported('/widgets/ab/', /Dots in the name/),
        what: 'served at /widgets/ab/ or reported',
      },
      {
        kind: 'file name with a newline',
        file: 'docs/new\nline.md',
        want: servedOrReported('/widgets/newline/', /Newline in the name/),
        what: 'served at /widgets/newline/ or reported',
      },
      {
        kind: 'empty markdown file',
        file: 'docs/empty.md',
        want: servedOrReported('/widgets/empty/', /empty/i),
        what: 'served at /widgets/empty/ or reported',
      },
      { kind: '500-deep block quote', file: 'docs/deep-quote.md', want: servedOrReported('/widgets/deep-quote/', /deep quote/), what: 'served or reported' },
      {
        kind: '400-deep nested list (160 KB)',
        file: 'docs/deep-list.md',
        want: servedOrReported('/widgets/deep-list/', /item 399/),
        what: 'served or reported',
      },
      {
        kind: '20,000 unclosed emphasis markers',
        file: 'docs/slow-emphasis.md',
        want: servedOrReported('/widgets/slow-emphasis/', /Slow emphasis/),
        what: 'served or reported',
      },
      {
        kind: 'aside with an unknown icon',
        file: 'docs/aside-icon.md',
        what: 'render diagnostic, served as text',
        want: async (ds) =>
          ds.some((x) => x.kind === 'render' && /Invalid aside icon/.test(x.message)) &&
          /its text is shown as it is[\s\S]*icon=(?:"|&#34;)nope(?:"|&#34;)/.test(await (await fetch(`${url}/widgets/aside-icon/`)).text()),
      },
      {
        kind: 'code block frame="terminall"',
        file: 'docs/frame.md',
        want: async (ds) =>
          ds.some((x) => /frame="terminall"/.test(x.message)) && /data-language="sh"/.test(await (await fetch(`${url}/widgets/frame/`)).text()),
        what: 'diagnostic, code rendered without it',
      },
      {
        kind: 'code block with an empty search term ""',
        file: 'docs/empty-term.md',
        want: async (ds) =>
          ds.some((x) => /empty search term/.test(x.message)) && /data-language="js"/.test(await (await fetch(`${url}/widgets/empty-term/`)).text()),
        what: 'diagnostic, code rendered without it',
      },
      {
        kind: 'empty ANSI code block',
        file: 'docs/empty-ansi.md',
        want: servedOrReported('/widgets/empty-ansi/', /Before the block[\s\S]*data-language="text"/),
        what: 'served as an empty text block',
      },
      {
        kind: 'code block line range {0}',
        file: 'docs/line-zero.md',
        want: (ds) => ds.some((x) => /line ranges/.test(x.message)),
        what: 'diagnostic, code rendered without it',
      },
      {
        kind: 'image path with a stray %',
        file: 'docs/percent.md',
        want: servedOrReported('/widgets/percent/', /Before the chart/),
        what: 'served (GitHub URL, encoded) or reported',
      },
      { kind: 'binary .png beside the docs', file: 'docs/logo.png', want: (ds) => ds.length === 0, what: 'ignored (not markdown)' },
    ];
    for (const e of expectations) {
      const ds = about(e.file);
      const ok = await e.want(ds);
      const seen = ds.length
        ? ds
            .map((x) => `${x.kind}: ${x.message}`)
            .join(' | ')
            .replace(/\s+/g, ' ')
            .slice(0, 90)
        : 'no diagnostic';
      contentRows.push({ kind: `${how}: ${e.kind}`, status: 0, outcome: ok ? `${e.what} — ${seen}` : `expected ${e.what}; got ${seen}`, ok });
    }
    contentRows.push({
      kind: `${how}: build`,
      status: 0,
      outcome: `${build.state}, ${widgets.pages} pages, ${diags.length} diagnostics, phases ${JSON.stringify(build.phases)}`,
      ok: build.state === 'succeeded',
    });
    t.diagnostic(`${how}: ${build.id} ${build.state}; ${widgets.pages} pages; ${diags.length} diagnostics`);
  }
});
