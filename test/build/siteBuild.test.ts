/**
 * One real `astro build` of a small fixture (3 components, Chinese slugs, <br>, a table, a code fence),
 * checked on disk and in Chromium. Builds that must fail: siteBuildFailures.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { buildSite } from '../../functions/core/build/buildSite.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { serveStatic } from '../../functions/core/http/serveStatic.ts';
import { slugToUrl } from '../../functions/core/pageSlug.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { serveBuiltSite, type BuiltSiteServer } from '../support/serveBuiltSite.ts';
import { openWatchedPage } from '../support/watchedPage.ts';
import { pages, sources } from './fixturePages.ts';

describe('astro build of a fixture site', () => {
  let dir: string;
  let out: string;
  let durationMs = 0;
  let built = 0;
  const lines: string[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-site-'));
    out = join(dir, 'out');
    await writeContent(join(dir, 'content'), pages, sources, { title: 'Fixture Docs', lang: 'zh-CN', url: 'https://docs.example.com' });
    const result = await buildSite({ contentDir: join(dir, 'content'), outDir: out, cacheDir: join(dir, 'cache'), onLine: (l) => lines.push(l) });
    durationMs = result.durationMs;
    built = result.pages;
    console.log(`# fixture astro build: ${result.pages} pages in ${(durationMs / 1000).toFixed(1)} s`);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const html = (path: string): Promise<string> => readFile(join(out, path, 'index.html'), 'utf8');

  it('writes every page at /<slug>/index.html, Chinese slugs included, plus home, 404 and the search index', async () => {
    assert.deepEqual(
      pages.map((p) => p.slug),
      ['fc', 'fc/命令/部署', 'fc/命令/删除', 'fc/quick-start', 'oss/upload', 'oss/faq', 'guide', 'guide/install'],
    );
    for (const p of [...pages.map((p) => p.slug), 'oss', '']) assert.ok(existsSync(join(out, p, 'index.html')), `missing ${p}/index.html`);
    assert.ok(existsSync(join(out, '404.html')));
    assert.ok(existsSync(join(out, 'pagefind', 'pagefind.js')), 'Pagefind index built');
    for (const s of sources) assert.ok(existsSync(join(out, 'pagefind', 'shard', s.id, 'pagefind-entry.json')), `search shard of ${s.id}`);
    const sitemap = await readFile(join(out, 'sitemap-0.xml'), 'utf8');
    assert.match(await readFile(join(out, 'sitemap-index.xml'), 'utf8'), /<loc>https:\/\/docs\.example\.com\/sitemap-0\.xml<\/loc>/);
    for (const slug of ['', 'oss', 'fc/命令/部署'])
      assert.ok(sitemap.includes(`<loc>${new URL(slug ? `/${slug}/` : '/', 'https://docs.example.com').href}</loc>`), `sitemap lists /${slug}`);
    assert.equal(built, pages.length + 3, 'pages counted: fixture pages, generated oss index, home, 404');
    assert.ok(
      lines.some((l) => /^\[site\] built in [\d.]+ s: 11 pages rendered/.test(l)),
      'progress lines were streamed',
    );
    assert.ok(durationMs > 0);
  });

  it('renders titles, markdown (<br>, table, code fence) and the landing page', async () => {
    const deploy = await html('fc/命令/部署');
    assert.match(deploy, /<title>部署: s deploy \| Fixture Docs<\/title>/);
    assert.match(deploy, /<html lang="zh-CN"/, 'site language from the manifest (Pagefind segments Chinese by it)');
    assert.match(deploy, /<link rel="canonical" href="https:\/\/docs\.example\.com\/fc\/%E5%91%BD%E4%BB%A4\/%E9%83%A8%E7%BD%B2\/"/);
    assert.match(deploy, /<table>[\s\S]*<td>region<\/td>[\s\S]*<\/table>/);
    assert.match(deploy, /data-language="yaml"/);
    assert.match(await html('fc'), /The FC component\.<br>Second line\./);
    const home = await html('');
    for (const s of sources) assert.ok(home.includes(`href="/${s.id}/"`), `home links to /${s.id}/`);
    assert.match(home, /<p class="ds-card-description">Deploy functions: &#34;fast&#34;<\/p>/, 'description shown, escaped');
    assert.match(await html('oss'), /href="\/oss\/upload\/"/, 'generated index lists the pages');
  });

  it("puts the component switcher and the page's own component in its sidebar, nothing of the others", async () => {
    const page = await html('oss/upload');
    const sidebar = page.slice(page.indexOf('id="starlight__sidebar"'), page.indexOf('</sl-sidebar-pane>'));
    const switcher =
      /<details[^>]*><summary[^>]*><span class="group-label[^"]*"><span class="large[^"]*">全部组件<\/span>[\s\S]*?<\/details>/.exec(sidebar)?.[0] ?? '';
    assert.doesNotMatch(switcher, /<details open/, 'the switcher is collapsed');
    for (const s of sources) assert.match(switcher, new RegExp(`<a href="/${s.id}/"[^>]*><span[^>]*>${s.title}</span>`), `switcher lists ${s.title}`);
    const own = sidebar.slice(sidebar.indexOf(switcher) + switcher.length);
    assert.match(own, /<a href="\/oss\/upload\/" aria-current="page"[^>]*><span[^>]*>Upload files<\/span>/);
    assert.match(own, /href="\/oss\/faq\/"/);
    assert.doesNotMatch(sidebar, /href="\/fc\/quick-start\/"/, "another component's pages are not in the sidebar");
    assert.ok(Buffer.byteLength(page) < 60 * 1024, `${Buffer.byteLength(page)} bytes`);
    assert.match(
      await html('fc/命令/部署'),
      /<a href="\/fc\/%E5%91%BD%E4%BB%A4\/%E9%83%A8%E7%BD%B2\/" aria-current="page"[^>]*><span[^>]*>部署: s deploy<\/span>/,
      'a Chinese URL is marked current too',
    );
  });

  it("renders the sidebar compactly (site/src/components/Sidebar.astro): no scoped-style classes, no SVG, Starlight's open rules", async () => {
    const page = await html('fc/命令/部署');
    const pane = page.slice(page.indexOf('<sl-sidebar-pane'), page.indexOf('</sl-sidebar-pane>'));
    // The tree and its state persistence; the mobile footer after it is Starlight's own (theme select).
    const tree = pane.slice(pane.indexOf('<sl-sidebar-state-persist'), pane.indexOf('</sl-sidebar-state-persist>'));
    assert.match(tree, /^<sl-sidebar-state-persist class="ds-sidebar" data-hash="[0-9a-z]{7}"><script aria-hidden="true">/);
    assert.doesNotMatch(tree, /class="[^"]*\bastro-/, 'no element carries a scoped-style class');
    assert.doesNotMatch(tree, /<svg/i, 'the caret is drawn by CSS');
    assert.match(
      tree,
      /<li><details open><summary><span class="group-label"><span class="large">命令<\/span><\/span><\/summary><sl-sidebar-restore data-index="1"><\/sl-sidebar-restore><ul>/,
      'the current group is open',
    );
    assert.match(
      tree,
      /<ul class="top-level"><li><details><summary><span class="group-label"><span class="large">全部组件<\/span>/,
      'the switcher is collapsed',
    );
    assert.match(tree, /<li><a href="\/fc\/" class="large"><span>FC 组件<\/span><\/a><\/li>/, 'top-level links are large');
    assert.match(tree, /<li><a href="\/fc\/%E5%91%BD%E4%BB%A4\/%E5%88%A0%E9%99%A4\/"><span>删除<\/span><\/a><\/li>/, 'nested links are not');
    assert.match(
      await html('fc'),
      /<ul class="top-level"><li><details open><summary><span class="group-label"><span class="large">全部组件</,
      'a collapsed group holding the current page is open',
    );
    assert.equal(page.match(/<sl-sidebar-state-persist/g)?.length, 1, 'one persisted sidebar (its script finds the first)');

    // Size: the markup around each entry, hrefs and labels apart, and the whole pane per link, scripts and
    // Starlight's mobile footer included. Measured on this page: 76 and 460 bytes; 230 and 709 with
    // Starlight's own Sidebar (a scoped-style class on every element, an <svg> caret in every group).
    const list = tree.slice(tree.indexOf('<ul class="top-level">'), tree.lastIndexOf('</ul>') + 5);
    const links = [...list.matchAll(/<a href="([^"]*)"[^>]*><span>([^<]*)<\/span>/g)];
    const groups = [...list.matchAll(/<span class="large">([^<]*)<\/span><\/span><\/summary>/g)];
    const text = [...links.flatMap((m) => [m[1]!, m[2]!]), ...groups.map((m) => m[1]!)].reduce((n, s) => n + Buffer.byteLength(s), 0);
    const markupPerEntry = (Buffer.byteLength(list) - text) / (links.length + groups.length);
    const panePerLink = Buffer.byteLength(pane) / links.length;
    console.log(
      `# sidebar of fc/命令/部署: ${links.length} links, ${groups.length} groups; ${markupPerEntry.toFixed(0)} B of markup per entry, ${panePerLink.toFixed(0)} B of pane per link`,
    );
    assert.equal(links.length, 7);
    assert.ok(markupPerEntry < 90, `${markupPerEntry} bytes of markup per sidebar entry`);
    assert.ok(panePerLink < 500, `${panePerLink} bytes of sidebar pane per link`);
  });

  it('links previous and next pages within the component', async () => {
    const page = await html('fc/命令/部署');
    assert.match(page, /<a href="\/fc\/" rel="prev"[^>]*>[\s\S]*?FC 组件</);
    assert.match(page, /<a href="\/fc\/%E5%91%BD%E4%BB%A4\/%E5%88%A0%E9%99%A4\/" rel="next"[^>]*>[\s\S]*?删除</);
    assert.match(await html('fc/命令/删除'), /<a href="\/fc\/quick-start\/" rel="next"/, 'pages without an order come last');
    assert.doesNotMatch(await html('fc/quick-start'), /rel="next"/, 'the last FC page does not lead into another component');
  });

  it("writes /llms.txt listing every page, each page's markdown at <page URL>index.md and /llms-full.txt, served as text", async () => {
    const llms = await readFile(join(out, 'llms.txt'), 'utf8');
    assert.match(llms, /^# Fixture Docs\n/);
    assert.match(
      llms,
      /\n## 函数计算 FC\n\nDeploy functions: "fast"\n\n- \[FC 组件\]\(https:\/\/docs\.example\.com\/fc\/index\.md\): The FC component\.<br>Second line\.\n/,
    );
    const listed = [...llms.matchAll(/^- \[[^\]]+\]\((\S+)\)/gm)].map((m) => m[1]);
    const expected = [...pages.map((p) => p.slug), 'oss'].map((slug) => `https://docs.example.com${slugToUrl(slug)}index.md`);
    assert.deepEqual([...listed].sort(), [...expected].sort(), 'every page, the generated oss index included, once');
    const full = await readFile(join(out, 'llms-full.txt'), 'utf8');
    for (const p of pages) {
      const md = await readFile(join(out, p.slug, 'index.md'), 'utf8');
      assert.equal(md, `# ${p.title}\n\n${p.body.trim()}\n`, `${p.slug}/index.md is the page's markdown`);
      assert.ok(full.includes(`<!-- https://docs.example.com${slugToUrl(p.slug)} -->\n\n${md}`), `llms-full.txt holds ${p.slug}`);
    }
    const get = (path: string) => serveStatic(new Request(`http://docs.test${path}`), out);
    const page = await get(`${slugToUrl('fc/命令/部署')}index.md`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/markdown; charset=utf-8');
    assert.equal(await page.text(), await readFile(join(out, 'fc/命令/部署/index.md'), 'utf8'));
    for (const path of ['/llms.txt', '/llms-full.txt']) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8', path);
    }
  });

  describe('in Chromium', () => {
    let server: BuiltSiteServer | undefined;
    let browser: Browser;
    let base: string;
    before(async () => {
      server = await serveBuiltSite(out);
      base = server.base;
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    it('lists the components on the landing page, clicks through, shows the sidebar, logs no errors', async () => {
      const { page, problems } = await openWatchedPage(browser, `${base}/`);
      const main = page.locator('main');
      for (const s of sources) await main.getByRole('link', { name: s.title, exact: true }).waitFor();

      await main.getByRole('link', { name: '函数计算 FC', exact: true }).click();
      await page.waitForURL(`${base}/fc/`);
      assert.equal(await page.locator('h1').first().textContent(), 'FC 组件');

      const sidebar = page.locator('#starlight__sidebar');
      for (const title of ['Quick start', '部署: s deploy', '删除']) await sidebar.getByRole('link', { name: title }).waitFor();

      await sidebar.getByRole('link', { name: '部署: s deploy' }).click();
      await page.waitForURL((url) => decodeURIComponent(url.pathname) === '/fc/命令/部署/');
      assert.equal(await page.locator('h1').first().textContent(), '部署: s deploy');
      assert.equal(await page.locator('main table td').first().textContent(), 'region');

      assert.deepEqual(problems, []);

      const missing = await page.goto(`${base}/fc/no-such-page/`);
      assert.equal(missing?.status(), 404);
      assert.match((await page.locator('h1').first().textContent()) ?? '', /404/);
      await page.close();
    });

    it('opens a collapsed sidebar group on click, turns its CSS caret, and keeps it open on the next page', async () => {
      const { page, problems } = await openWatchedPage(browser, `${base}/oss/upload/`, { viewport: { width: 1280, height: 800 } });
      const sidebar = page.locator('#starlight__sidebar');
      const switcher = sidebar.locator('details', { has: page.locator('summary', { hasText: '全部组件' }) });
      const summary = switcher.locator('summary');
      const isOpen = () => switcher.evaluate((d) => (d as HTMLDetailsElement).open);
      const caret = () =>
        summary.evaluate((s) => {
          const c = getComputedStyle(s, '::after');
          return {
            content: c.content,
            display: c.display,
            visibility: c.visibility,
            width: c.width,
            height: c.height,
            mask: c.maskImage,
            background: c.backgroundColor,
            text: getComputedStyle(s).color,
            turn: new DOMMatrix(c.transform).b,
          };
        });

      assert.equal(await isOpen(), false, 'the switcher starts collapsed');
      assert.equal(await switcher.getByRole('link', { name: '函数计算 FC' }).isVisible(), false);
      const closed = await caret();
      assert.deepEqual(
        { ...closed, mask: closed.mask.startsWith('url("data:image/svg+xml,') },
        {
          content: '""',
          display: 'block',
          visibility: 'visible',
          width: '20px',
          height: '20px',
          mask: true,
          background: closed.text,
          text: closed.text,
          turn: 0,
        },
        'a 1.25rem caret icon in the text colour, pointing right',
      );
      assert.notEqual(closed.text, 'rgba(0, 0, 0, 0)');
      // It is drawn: the summary looks different with the caret hidden.
      const drawn = await summary.screenshot();
      const hide = await page.addStyleTag({ content: '#starlight__sidebar summary::after { visibility: hidden }' });
      assert.equal(drawn.equals(await summary.screenshot()), false, 'the caret shows in the summary');
      await hide.evaluate((style) => (style as HTMLStyleElement).remove());
      assert.ok(drawn.equals(await summary.screenshot()), 'and only the caret differed');

      await summary.click();
      await switcher.getByRole('link', { name: '函数计算 FC' }).waitFor();
      assert.equal(await isOpen(), true);
      const handle = await summary.elementHandle();
      await page.waitForFunction((s) => Math.abs(new DOMMatrix(getComputedStyle(s!, '::after').transform).b - 1) < 1e-6, handle);
      assert.ok(Math.abs((await caret()).turn - 1) < 1e-6, 'the caret points down (turned 90°) when open');

      const current = sidebar.locator('a[aria-current="page"]');
      assert.equal(await current.innerText(), 'Upload files');
      assert.notEqual(await current.evaluate((a) => getComputedStyle(a).backgroundColor), 'rgba(0, 0, 0, 0)', 'the current page is highlighted');

      // Starlight's sidebar state persistence: the opened switcher stays open on the next page.
      await sidebar.getByRole('link', { name: 'FAQ', exact: true }).click();
      await page.waitForURL(`${base}/oss/faq/`);
      assert.equal(await sidebar.locator('a[aria-current="page"]').innerText(), 'FAQ');
      assert.equal(await isOpen(), true, 'restored open from session storage');
      assert.deepEqual(problems, []);
      await page.close();
    });

    it("searches every component from any page (one Pagefind index per component, merged by Starlight's search)", async () => {
      const { page, problems } = await openWatchedPage(browser, `${base}/fc/quick-start/`, { timeout: 15_000 });
      await page.waitForLoadState('networkidle');
      await page.locator('button[data-open-modal]').click();
      const input = page.locator('#starlight__search .pagefind-ui__search-input');
      await input.fill('Questions');
      await page.locator('#starlight__search a[href="/oss/faq/"]').first().waitFor();
      await input.fill('地域');
      await page.locator('#starlight__search .pagefind-ui__result-link', { hasText: '部署: s deploy' }).first().waitFor();
      assert.deepEqual(problems, []);
      await page.close();
    });
  });
});
