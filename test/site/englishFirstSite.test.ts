/**
 * An English-first site with Chinese as its second language (`site: { languages: [en, zh-CN],
 * defaultLanguage: en }`): English at `/`, Chinese at `/zh/`. A source with `docs/en/…` and `docs/zh/…`
 * goes through the real pipeline (sources file parsing, transform, writeContent, `astro build` with
 * the search index) and is checked on disk and in Chromium: html lang, UI strings, home pages, the
 * language select, hreflang alternates, the sitemap, and search in both languages.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { buildSite } from '../../functions/core/build/buildSite.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { parseSources } from '../../functions/core/config/loadSources.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { serveBuiltSite, type BuiltSiteServer } from '../support/serveBuiltSite.ts';
import { openWatchedPage } from '../support/watchedPage.ts';
import { transform } from '../transform/fixtures.ts';

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
const SITE_URL = 'https://docs.example.com';

const FILES = {
  'docs/en/readme.md': '# Function Compute\n\nServerless functions. See [deploying](./deploy.md).\n',
  'docs/zh/readme.md': '# 函数计算\n\n无服务器函数。参见[部署](./deploy.md)。\n',
  'docs/en/deploy.md': '# Deploy\n\nRun `s deploy` to ship the widget.\n\n## Options\n\nNone.\n',
  'docs/zh/deploy.md': '# 部署\n\n运行 `s deploy` 发布应用。\n\n## 参数\n\n无。\n',
};

/** The hreflang alternates of the page: `lang → href`. */
const alternates = async (page: Page): Promise<Record<string, string>> =>
  Object.fromEntries(
    await page.locator('link[rel="alternate"][hreflang]').evaluateAll((links) => links.map((l) => [l.getAttribute('hreflang'), l.getAttribute('href')])),
  );

/** The language select's options: `label → URL`, and the selected label. */
const languageSelect = async (page: Page): Promise<{ options: Record<string, string>; selected: string }> => {
  const select = page.locator('starlight-lang-select select').first();
  const options = Object.fromEntries(
    await select.locator('option').evaluateAll((os) => os.map((o) => [o.textContent?.trim(), (o as HTMLOptionElement).value])),
  );
  return { options, selected: (await select.locator('option:checked').textContent())?.trim() ?? '' };
};

/** Search from the open page; the dialog's text once a result links to `expected`. */
async function search(page: Page, term: string, expected: string): Promise<string> {
  await page.waitForLoadState('networkidle');
  await page.locator('button[data-open-modal]').first().click();
  const dialog = page.locator('dialog[open]');
  await dialog.locator('.pagefind-ui__search-input').fill(term);
  await dialog.locator(`a.pagefind-ui__result-link[href="${expected}"]`).first().waitFor({ timeout: 15_000 });
  return dialog.innerText();
}

describe('an English-first site with Chinese at /zh/', () => {
  let dir: string;
  let out: string;
  let server: BuiltSiteServer | undefined;
  let base: string;
  let browser: Browser;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-en-first-'));
    out = join(dir, 'out');
    const [source] = parseSources(
      {
        sources: [{ id: 'fc', title: 'Function Compute', repo: 'devsapp/fc' }],
        site: { languages: [{ code: 'en' }, { code: 'zh-CN', label: '简体中文' }], defaultLanguage: 'en' },
      },
      dir,
      'sources file',
      null,
    );
    const { pages, diagnostics } = transform(FILES, source!);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(pages.map((p) => p.slug).sort(), ['fc', 'fc/deploy', 'zh/fc', 'zh/fc/deploy']);
    await writeContent(join(dir, 'content'), pages, [source!], { title: 'Docs', url: SITE_URL });
    await buildSite({ contentDir: join(dir, 'content'), outDir: out, cacheDir: join(dir, 'cache') });
    server = await serveBuiltSite(out);
    base = server.base;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('/ is the English home page: lang="en", English hero and UI, a select to the Chinese home at /zh/', async () => {
    const { page, problems } = await openWatchedPage(browser, `${base}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.locator('.hero').innerText(), /1 component, 4 pages, each kept in step with its own repository\./);
    assert.equal(await page.locator('main a.ds-card-title').getAttribute('href'), '/fc/');
    assert.equal(await page.locator('button[data-open-modal]').first().getAttribute('aria-label'), 'Search');
    assert.deepEqual(await languageSelect(page), { options: { English: '/', 简体中文: '/zh/' }, selected: 'English' });
    assert.deepEqual(await alternates(page), { en: `${SITE_URL}/`, 'zh-CN': `${SITE_URL}/zh/`, 'x-default': `${SITE_URL}/` });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('/zh/ is the Chinese home page: lang="zh-CN", Chinese hero and UI strings, its card links /zh/fc/', async () => {
    const { page, problems } = await openWatchedPage(browser, `${base}/zh/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.match(await page.locator('.hero').innerText(), /1 个组件，2 页文档，与各自的源仓库保持同步。/);
    assert.equal(await page.locator('main a.ds-card-title').getAttribute('href'), '/zh/fc/');
    assert.equal(await page.locator('button[data-open-modal]').first().getAttribute('aria-label'), '搜索');
    assert.deepEqual(await languageSelect(page), { options: { English: '/', 简体中文: '/zh/' }, selected: '简体中文' });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('a page and its translation: lang, sidebar, On this page / 本页内容, the language select links the two, hreflang alternates', async () => {
    const { page, problems } = await openWatchedPage(browser, `${base}/fc/deploy/`, { viewport: { width: 1280, height: 800 } });
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.locator('starlight-toc h2').first().innerText(), /^On this page$/);
    assert.deepEqual(await languageSelect(page), { options: { English: '/fc/deploy/', 简体中文: '/zh/fc/deploy/' }, selected: 'English' });
    const english = { en: `${SITE_URL}/fc/deploy/`, 'zh-CN': `${SITE_URL}/zh/fc/deploy/`, 'x-default': `${SITE_URL}/fc/deploy/` };
    assert.deepEqual(await alternates(page), english);
    assert.ok(await page.locator('nav.sidebar a[href="/fc/deploy/"]').count(), 'the English sidebar links English pages');
    // Choosing 简体中文 goes to the translation.
    await page.locator('starlight-lang-select select').first().selectOption({ label: '简体中文' });
    await page.waitForURL(`${base}/zh/fc/deploy/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.match(await page.locator('starlight-toc h2').first().innerText(), /^本页内容$/);
    assert.deepEqual(await languageSelect(page), { options: { English: '/fc/deploy/', 简体中文: '/zh/fc/deploy/' }, selected: '简体中文' });
    assert.deepEqual(await alternates(page), english, 'the same alternates from both translations');
    assert.ok(await page.locator('nav.sidebar a[href="/zh/fc/deploy/"]').count(), 'the Chinese sidebar links Chinese pages');
    assert.equal(await page.locator('nav.sidebar a[href="/fc/deploy/"]').count(), 0);
    assert.match(await page.locator('.sl-markdown-content').innerText(), /运行 s deploy 发布应用/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('search works in both languages, the component filter named in each (Component / 组件)', async () => {
    const en = await openWatchedPage(browser, `${base}/fc/`);
    const englishDialog = await search(en.page, 'widget', '/fc/deploy/');
    assert.match(englishDialog, /Component/);
    assert.doesNotMatch(englishDialog, CJK, 'the English search finds English pages, in an English dialog');
    assert.deepEqual(en.problems, []);
    await en.page.close();
    const zh = await openWatchedPage(browser, `${base}/zh/fc/`);
    const chineseDialog = await search(zh.page, '发布', '/zh/fc/deploy/');
    assert.match(chineseDialog, /组件/);
    assert.match(chineseDialog, /筛选|清除/, 'Pagefind speaks Chinese');
    assert.deepEqual(zh.problems, []);
    await zh.page.close();
  });

  it('on disk: the 404 page is English, the sitemap links each page with its translation', async () => {
    assert.match(await readFile(join(out, '404.html'), 'utf8'), /<html lang="en"/);
    const sitemap = await readFile(join(out, 'sitemap-0.xml'), 'utf8');
    const entry = /<url><loc>https:\/\/docs\.example\.com\/zh\/fc\/deploy\/<\/loc>(.*?)<\/url>/.exec(sitemap)?.[1] ?? '';
    assert.match(entry, /hreflang="en" href="https:\/\/docs\.example\.com\/fc\/deploy\/"/);
    assert.match(entry, /hreflang="zh-CN" href="https:\/\/docs\.example\.com\/zh\/fc\/deploy\/"/);
    assert.match(sitemap, /<loc>https:\/\/docs\.example\.com\/zh\/<\/loc>/);
    assert.doesNotMatch(sitemap, /docs\.example\.com\/en\//, 'no /en/ on an English-first site');
  });
});
