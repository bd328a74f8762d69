import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport, MAX_MARKDOWN_BYTES } from '../../functions/core/notify/formatReport.ts';
import type { Diagnostic, SourceOutcome } from '../../functions/core/types.ts';
import { degradedBuild, NEW_SHA, OLD_SHA, sampleReport } from './sampleReport.ts';

const EMOJI = /\p{Extended_Pictographic}/u;
const COMPARE = `https://github.com/acme/docs/compare/${OLD_SHA}...${NEW_SHA}`;

test('a successful push build names the outcome, trigger, timings, the changed source and links', () => {
  const r = formatReport(sampleReport());
  assert.match(r.title, /^Docs build succeeded: acme\/docs main 3f9c2a1$/);
  for (const out of [r.text, r.markdown, r.html]) {
    assert.match(out, /b-20240501-0007 succeeded/);
    assert.match(out, /push to acme\/docs, branch main, commit 3f9c2a1 by alice/);
    assert.match(out, /72d3162e-cc78-11e3-81ab-4c9367dc0958/);
    assert.match(out, /1 min 23 s \(fetch 1\.5 s, transform 2\.3 s, build 1 min 5 s, deploy 6\.0 s\)/);
    assert.match(out, /43 total: 2 added, 5 changed, 1 removed/);
    assert.match(out, /0a1b2c3 → 3f9c2a1/);
    assert.match(out, /1 other source unchanged/);
    assert.doesNotMatch(out, /\bcli\b/, 'unchanged sources are counted, not listed');
    assert.match(out, /docs\/command\/deploy\.md:12/);
    assert.doesNotMatch(out, /title is missing/, 'only broken links are listed');
    assert.doesNotMatch(out, EMOJI);
  }
  assert.match(
    r.text,
    /^- fc: 0a1b2c3 → 3f9c2a1 \(https:\/\/github\.com\/acme\/docs\/compare\/0a1b2c3d.*\.\.\.3f9c2a1b.*\) by alice; 42 pages, 1 broken link$/m,
  );
  assert.ok(r.markdown.includes(`**fc**: [0a1b2c3 → 3f9c2a1](${COMPARE}) by alice`), r.markdown);
  assert.ok(r.html.includes(`<a href="${COMPARE}">0a1b2c3 → 3f9c2a1</a>`));
  assert.match(r.text, /Site: https:\/\/docs\.example\.com\n/);
  assert.match(r.text, /Build details: https:\/\/docs\.example\.com\/_builds\/b-20240501-0007/);
  assert.match(r.markdown, /\[Site\]\(https:\/\/docs\.example\.com\)/);
  assert.match(r.html, /<a href="https:\/\/docs\.example\.com\/_builds\/b-20240501-0007">Build details<\/a>/);
});

test('a degraded report names the stale source, its error and since when, the changes, pages, broken links and carried pushes', () => {
  const r = formatReport(sampleReport(degradedBuild()));
  assert.match(r.title, /^Docs build degraded: acme\/docs main 3f9c2a1$/);
  for (const out of [r.text, r.markdown, r.html]) {
    assert.match(out, /b-20240501-0007 is live but degraded: 1 source stale/);
    assert.match(out, /s3 is stale: fetching failed, so the site still serves its last good copy/);
    assert.match(out, /2024-04-30 22:15 UTC/);
    assert.match(out, /GitHub answered 502 Bad Gateway for acme\/s3 \(3 attempts\)/);
    assert.match(out, /0a1b2c3 → 3f9c2a1/);
    assert.match(out, /alice, bob/);
    assert.match(out, /69 total: 3 added, 4 changed, 2 removed/);
    assert.match(out, /This build also carried 2 earlier pushes\./);
    assert.match(out, /acme\/docs main → 3f9c2a1 by alice, bob \(3 pushes\)/);
    assert.match(out, /Broken links in fc \(2\)/);
    assert.match(out, /docs\/command\/remove\.md:3: link to \.\.\/gone\.md points to no page/);
    assert.match(out, /2 other sources unchanged/);
  }
  assert.match(r.text, /^- s3: stale, the site still serves the copy fetched 2024-04-30 22:15 UTC \(at 9e8d7c6\); error: GitHub answered 502/m);
  assert.ok(r.text.indexOf('- s3:') < r.text.indexOf('- fc:'), 'trouble first');
  // The mail's HTML part has one table row per listed source.
  const table = /<table[^>]*border-collapse[^>]*>(.*?)<\/table>/s.exec(r.html)?.[1] ?? '';
  assert.deepEqual(
    [...table.matchAll(/<tr><td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]),
    ['s3', 'fc', '2 other sources unchanged'],
  );
  assert.match(table, /<th[^>]*>Source<\/th><th[^>]*>Status<\/th><th[^>]*>Commit<\/th><th[^>]*>By<\/th><th[^>]*>Pages<\/th><th[^>]*>Notes<\/th>/);
  assert.match(table, /stale<\/strong>/);
});

test('a source with no good copy is reported missing from the site', () => {
  const r = formatReport(
    sampleReport({
      state: 'degraded',
      sources: [
        { id: 'fc', state: 'built', sha: NEW_SHA, fetched: false, pages: 3, diagnostics: [] },
        { id: 'oss', state: 'failed', pages: 0, diagnostics: [], error: 'GitHub answered 404 for acme/oss — check the repo in the sources file' },
      ],
    }),
  );
  assert.match(r.text, /is live but degraded: 1 source missing\./);
  assert.match(r.text, /oss could not be fetched and had no good copy: its pages are missing from the site\./);
  assert.match(r.text, /^- oss: failed, left out of the site; error: GitHub answered 404 for acme\/oss/m);
});

test('a failed build says the phase, that the previous release stays, and what to do', () => {
  const r = formatReport(
    sampleReport({
      state: 'failed',
      attempts: 4,
      error: { phase: 'build', message: 'astro build exited with code 1:\n  [ERROR] Could not resolve "./x"' },
    }),
  );
  assert.match(r.title, /^Docs build failed:/);
  assert.match(r.text, /^Docs build b-20240501-0007 failed in the build phase after 4 attempts\.$/m);
  assert.match(r.text, /The site still serves the previous release\./);
  assert.match(r.text, /What to do: the site generator failed: open the build details/);
  assert.match(r.text, /Error \(build\): astro build exited with code 1: \[ERROR\] Could not resolve "\.\/x"/);
  assert.match(r.html, /Error \(build\)<\/th><td>astro build exited with code 1: \[ERROR\] Could not resolve &#34;\.\/x&#34;/);
  const fetchFailed = formatReport(sampleReport({ state: 'failed', error: { phase: 'fetch', message: 'no source could be fetched' } }));
  assert.match(fetchFailed.text, /failed in the fetch phase\./);
  assert.match(fetchFailed.text, /What to do: check the error \(GITHUB_TOKEN access/);
});

test('skipped and superseded builds say why, and where their changes went', () => {
  const skipped = formatReport(sampleReport({ state: 'skipped', reason: 'no docs changed in this push', sources: [] }));
  assert.match(skipped.title, /^Docs build skipped:/);
  assert.match(skipped.text, /was skipped: no docs changed in this push/);
  const superseded = formatReport(sampleReport({ state: 'superseded', supersededBy: 'b-20240501-0009', sources: [] }));
  assert.match(superseded.text, /b-20240501-0007 was not built on its own: newer build b-20240501-0009 carries its changes\./);
  assert.match(superseded.text, /Carried by: https:\/\/docs\.example\.com\/_builds\/b-20240501-0009/);
  const queued = formatReport(sampleReport({ state: 'failed', error: { phase: 'queue', message: 'gave up' } }));
  assert.match(queued.text, /failed before it could run \(queue\)/);
});

test('manual triggers say who asked, for which sources, and whether it was full', () => {
  const some = formatReport(sampleReport({ trigger: { kind: 'manual', sources: ['fc', 'cli'], full: true, requestedBy: 'bob' } }));
  assert.equal(some.title, 'Docs build succeeded: manual rebuild');
  assert.match(some.text, /Trigger: manual rebuild requested by bob: sources fc, cli, full/);
  const all = formatReport(sampleReport({ trigger: { kind: 'manual', full: false } }));
  assert.match(all.text, /Trigger: manual rebuild: all sources, changed pages only/);
});

test('a rebuild link is offered in every format', () => {
  const url = 'https://docs.example.com/rebuild/confirm?sources=fc&full=0&exp=1714600000&sig=abc_-';
  const r = formatReport(sampleReport({}, { rebuildUrl: url }));
  assert.ok(r.text.includes(`Rebuild: ${url}`));
  assert.ok(r.markdown.includes(`[Rebuild](${url})`));
  assert.ok(r.html.includes(`<a href="${url.replaceAll('&', '&#38;')}">Rebuild</a>`));
});

test('text from sources is escaped in HTML and neutralised in markdown', () => {
  const evil = '<script>alert("x")</script>';
  const r = formatReport(
    sampleReport({
      trigger: { kind: 'push', repo: `acme/${evil}`, ref: 'refs/heads/<b>', sha: 'abcdef0123', pusher: 'mallory"&<img src=x onerror=alert(1)>', delivery: 'd' },
      error: { phase: 'transform', message: `bad ${evil} [click](javascript:alert(1))` },
      state: 'failed',
      sources: [{ id: 'fc', state: 'stale', sha: 'abc', staleSince: 'x', pages: 1, diagnostics: [], error: `**boom** ${evil}` }],
    }),
  );
  assert.doesNotMatch(r.html, /<script|<img|<b>/);
  assert.match(r.html, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;/);
  assert.match(r.html, /mallory&#34;&#38;&#60;img/);
  assert.doesNotMatch(r.markdown, /(?<!\\)<(script|img|b>)|(?<!\\)\[click|(?<!\\)\*\*boom/, 'no unescaped tag, link or emphasis from sources');
  assert.match(r.markdown, /\\\[click\\\]/);
});

test('long lists are cut with "… and N more" and the markdown stays under DingTalk\'s limit', () => {
  const long = '链接指向的页面不存在，请检查相对路径是否正确。'.repeat(40);
  const sources: SourceOutcome[] = Array.from({ length: 60 }, (_, i) => {
    const diagnostics: Diagnostic[] = Array.from({ length: 30 }, (_, j) => ({
      source: `s${i}`,
      file: `docs/${j}.md`,
      line: j + 1,
      kind: 'broken-link',
      message: long,
    }));
    return { id: `source-${i}-${'x'.repeat(300)}`, state: i % 2 ? 'failed' : 'stale', staleSince: '2024-05-01T00:00:00Z', pages: 10, diagnostics, error: long };
  });
  const r = formatReport(
    sampleReport(
      { sources, state: 'failed', error: { phase: 'fetch', message: long.repeat(20) } },
      { rebuildUrl: `https://docs.example.com/rebuild/confirm?sources=${'a,'.repeat(500)}b` },
    ),
  );
  assert.match(r.text, /- … and 50 more\n/, 'sources past the tenth are counted');
  assert.match(r.text, /Broken links in source-0-x+ \(30\):\n(- docs\/\d+\.md:\d+: .+\n){3}- … and 27 more\n/);
  assert.match(r.text, /Broken links in other sources:\n/);
  assert.ok(Buffer.byteLength(r.markdown) <= MAX_MARKDOWN_BYTES, `markdown is ${Buffer.byteLength(r.markdown)} bytes`);
  assert.ok(r.text.length < 20_000 && r.html.length < 40_000, `text ${r.text.length}, html ${r.html.length}`);
  assert.match(r.markdown, /\[Build details\]\(.*\) \| \[Rebuild\]\(/, 'links survive the cuts');
});

test('a page shown as text (the renderer refused it) is listed with its file and why', () => {
  const report = sampleReport();
  report.build.sources[0]!.diagnostics.push({
    source: 'fc',
    file: 'docs/aside.md',
    kind: 'render',
    message: 'The page could not be rendered (Invalid aside icon); it is shown as text.',
  });
  const r = formatReport(report);
  for (const out of [r.text, r.markdown, r.html]) {
    assert.match(out, /Pages shown as text \(1\)/);
    assert.match(out, /fc: docs\/aside\.md: The page could not be rendered \(Invalid aside icon\)/);
  }
  assert.doesNotMatch(formatReport(sampleReport()).text, /shown as text/, 'only when there is one');
});
