/**
 * The site as a reader sees it, built once by the real pipeline from three sources (readersSiteFixture.ts:
 * two repositories on a fake GitHub, one with `docs/zh/…` + `docs/en/…`, one with `readme.md` +
 * `readme_en.md`, and a local folder). Checked in Chromium: landing page, component switcher and sidebar,
 * language switch, search, edit links and last-updated dates, a crawl of every internal link (fragments
 * included), and that no script from the docs runs.
 *
 * UPDATE_SCREENSHOTS=1 also writes test/site/screenshots/{landing,chinese-page,search}.png (1280×800) for
 * the README; it needs a Chinese font on the machine (Debian: fonts-noto-cjk).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { crawlSite, type BrokenLink, type CrawlResult } from '../support/crawlSite.ts';
import type { WatchedPage } from '../support/watchedPage.ts';
import { GADGETS_DATE, SCREENSHOTS, WIDGETS_DATE, startReadersSite, type ReadersSite } from './readersSiteFixture.ts';

describe("the readers' site, built by the real pipeline", () => {
  let site: ReadersSite | undefined;
  let browser: Browser;
  let base: string;
  let ghWeb: string;
  let update = false;

  before(async () => {
    site = await startReadersSite();
    ({ browser, base, ghWeb, update } = site);
  });
  after(() => site?.close());

  const open = (path: string): Promise<WatchedPage> => site!.open(path);
  const path = (page: Page): string => decodeURIComponent(new URL(page.url()).pathname);
  /** Open the component switcher (Starlight may remember it open across pages) and pick a component. */
  async function switchTo(page: Page, title: string): Promise<void> {
    const switcher = page.locator('#starlight__sidebar details', { has: page.locator('summary', { hasText: '全部组件' }) });
    if ((await switcher.getAttribute('open')) === null) await switcher.locator('summary').click();
    await switcher.getByRole('link', { name: title, exact: true }).click();
  }

  it('lists the three components on the landing page with page counts and last-updated dates', async () => {
    const { page, problems } = await open('/');
    const main = page.locator('main');
    const text = await main.innerText();
    for (const [title, href] of [
      ['小部件 Widgets', '/widgets/'],
      ['Gadgets', '/gadgets/'],
      ['团队手册', '/handbook/'],
    ] as const) {
      assert.equal(await main.getByRole('link', { name: title, exact: true }).getAttribute('href'), href);
    }
    const facts = (title: string): string => {
      const at = text.indexOf(title);
      return text.slice(at, at + 200);
    };
    assert.match(facts('小部件 Widgets'), /5 页/);
    assert.match(facts('小部件 Widgets'), /最近更新 2024-03-15/);
    assert.match(facts('Gadgets'), /3 页/);
    assert.match(facts('Gadgets'), /最近更新 2024-06-01/);
    assert.match(facts('团队手册'), /2 页/);
    assert.doesNotMatch(facts('团队手册'), /最近更新/, 'a local folder has no commit date');
    assert.equal(await main.getByRole('link', { name: 'acme/widgets' }).getAttribute('href'), `${ghWeb}/acme/widgets`);
    if (update) await page.screenshot({ path: join(SCREENSHOTS, 'landing.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("switches components from the sidebar's component switcher; the sidebar shows the current component's pages", async () => {
    const { page, problems } = await open('/widgets/install/');
    const sidebar = page.locator('#starlight__sidebar');
    assert.equal(await sidebar.locator('a[aria-current="page"]').innerText(), '安装指南');
    for (const title of ['小部件概览', '安全测试']) await sidebar.getByRole('link', { name: title, exact: true }).waitFor();
    assert.equal(await sidebar.getByRole('link', { name: '使用小工具' }).count(), 0, "no other component's pages");

    await switchTo(page, 'Gadgets');
    await page.waitForURL(`${base}/gadgets/`);
    assert.equal(await page.locator('h1').first().innerText(), '小工具');
    await sidebar.getByRole('link', { name: '使用小工具', exact: true }).waitFor();
    assert.equal(await sidebar.getByRole('link', { name: '安装指南' }).count(), 0);

    await switchTo(page, '团队手册');
    await page.waitForURL(`${base}/handbook/`);
    await sidebar.getByRole('link', { name: '入职', exact: true }).click();
    await page.waitForURL(`${base}/handbook/onboarding/`);
    assert.match(await page.locator('main').innerText(), /欢迎加入/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('switches language from /<source>/<path>/ to /en/<source>/<path>/ and back', async () => {
    const { page, problems } = await open('/widgets/install/');
    const select = page.locator('starlight-lang-select select').first();
    await select.selectOption({ label: 'English' });
    await page.waitForURL(`${base}/en/widgets/install/`);
    assert.equal(await page.locator('h1').first().innerText(), 'Installation guide');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.locator('starlight-lang-select select').first().selectOption({ label: '简体中文' });
    await page.waitForURL(`${base}/widgets/install/`);
    assert.equal(await page.locator('h1').first().innerText(), '安装指南');

    // readme.md + readme_en.md: /gadgets/ ↔ /en/gadgets/
    await page.goto(`${base}/gadgets/`);
    await page.locator('starlight-lang-select select').first().selectOption({ label: 'English' });
    await page.waitForURL(`${base}/en/gadgets/`);
    assert.equal(await page.locator('h1').first().innerText(), 'Gadgets');
    await page.locator('starlight-lang-select select').first().selectOption({ label: '简体中文' });
    await page.waitForURL(`${base}/gadgets/`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('links each page to its translations, and only to those, with hreflang alternates', async () => {
    const alternates = async (path: string): Promise<string[]> => {
      const html = await (await fetch(`${base}${encodeURI(path)}`)).text();
      return [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/g)].map((m) => `${m[1]} ${decodeURI(m[2]!)}`);
    };
    const both = [
      'zh-CN https://docs.example.com/widgets/install/',
      'en https://docs.example.com/en/widgets/install/',
      'x-default https://docs.example.com/widgets/install/',
    ];
    assert.deepEqual(await alternates('/widgets/install/'), both);
    assert.deepEqual(await alternates('/en/widgets/install/'), both);
    assert.deepEqual(await alternates('/en/gadgets/'), [
      'zh-CN https://docs.example.com/gadgets/',
      'en https://docs.example.com/en/gadgets/',
      'x-default https://docs.example.com/gadgets/',
    ]);
    assert.deepEqual(
      await alternates('/handbook/onboarding/'),
      ['zh-CN https://docs.example.com/handbook/onboarding/', 'x-default https://docs.example.com/handbook/onboarding/'],
      'no English alternate: there is no English page',
    );
  });

  it("finds a Chinese and an English query with Starlight's search dialog", async () => {
    const { page, problems } = await open('/handbook/');
    const search = async (query: string, title: string): Promise<string> => {
      await page.locator('#starlight__search .pagefind-ui__search-input').fill(query);
      const hit = page.locator('#starlight__search .pagefind-ui__result-link', { hasText: title }).first();
      await hit.waitFor();
      return decodeURIComponent((await hit.getAttribute('href')) ?? '');
    };
    await page.waitForLoadState('networkidle');
    await page.locator('button[data-open-modal]').click();
    assert.equal(await search('部署地域', '安装指南'), '/widgets/install/', 'a Chinese query, another component');
    assert.equal(await search('aboard', '入职'), '/handbook/onboarding/', 'an English word on a Chinese page');
    // Narrowed to one component: '小部件' is on the widgets pages and on the gadgets overview.
    const resultUrls = async (): Promise<string[]> => {
      const links = page.locator('#starlight__search .pagefind-ui__result-link');
      const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      return [...new Set(hrefs.map((h) => decodeURIComponent(h.replace(/#.*/, ''))))].sort(); // pages, not their sections
    };
    await page.locator('#starlight__search .pagefind-ui__search-input').fill('小部件');
    await page.locator('#starlight__search .pagefind-ui__message', { hasText: '小部件' }).waitFor();
    await page.locator('#starlight__search .pagefind-ui__result-link[href^="/gadgets/"]').first().waitFor();
    const everywhere = await resultUrls();
    assert.ok(
      everywhere.some((u) => u.startsWith('/widgets/')),
      `results from widgets: ${everywhere.join(' ')}`,
    );
    const filter = page.locator('#starlight__search .pagefind-ui__filter-block', { hasText: '组件' });
    const names = (await filter.locator('.pagefind-ui__filter-label').allInnerTexts()).map((t) => t.replace(/\s*\(\d+\)$/, '')).sort();
    assert.deepEqual(names, ['Gadgets', '团队手册', '小部件 Widgets'], 'the 组件 filter offers every component');
    if (!(await filter.locator('.pagefind-ui__filter-checkbox').first().isVisible())) await filter.locator('summary').click();
    await filter.getByLabel('Gadgets').check();
    // Some results, all of them gadgets' (an empty list while the filtered search runs would pass `every`).
    await page.waitForFunction(() => {
      const links = [...document.querySelectorAll('#starlight__search .pagefind-ui__result-link')];
      return links.length > 0 && links.every((a) => a.getAttribute('href')?.startsWith('/gadgets/'));
    });
    assert.deepEqual(await resultUrls(), ['/gadgets/'], 'narrowed to the gadgets component');
    assert.equal(await page.locator('#starlight__search .pagefind-ui__message').innerText(), '找到 1 个 小部件 的结果', 'the dialog speaks Chinese');
    if (update) await page.screenshot({ path: join(SCREENSHOTS, 'search.png') });
    await filter.getByLabel('Gadgets').uncheck();
    // English pages search the English index (Pagefind picks the index by <html lang>).
    await page.goto(`${base}/en/widgets/`);
    await page.waitForLoadState('networkidle');
    await page.locator('button[data-open-modal]').click();
    assert.equal(await search('quokka', 'Installation guide'), '/en/widgets/install/', 'an English query on an English page');
    await page.locator('#starlight__search .pagefind-ui__filter-block', { hasText: 'Component' }).waitFor();
    assert.equal(await page.locator('#starlight__search .pagefind-ui__message').innerText(), '1 result for quokka');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('links "edit page" to the right file on the GitHub host and shows the commit date as last updated', async () => {
    const cases = [
      ['/widgets/install/', 'acme/widgets', 'docs/zh/install.md', WIDGETS_DATE],
      ['/en/widgets/install/', 'acme/widgets', 'docs/en/install.md', WIDGETS_DATE],
      ['/gadgets/', 'acme/gadgets', 'docs/readme.md', GADGETS_DATE],
      ['/en/gadgets/', 'acme/gadgets', 'docs/readme_en.md', GADGETS_DATE],
    ] as const;
    for (const [at, repo, file, date] of cases) {
      const { page, problems } = await open(at);
      const edit = page.locator('a[href*="/edit/"]');
      assert.equal(await edit.count(), 1, `${at}: one edit link`);
      assert.equal(decodeURI((await edit.getAttribute('href'))!), `${ghWeb}/${repo}/edit/main/${file}`, at);
      const time = page.locator('time[datetime]');
      assert.equal(new Date((await time.getAttribute('datetime'))!).toISOString(), new Date(date).toISOString(), `${at}: last updated`);
      assert.deepEqual(problems, []);
      await page.close();
    }
    const { page } = await open('/handbook/');
    assert.equal(await page.locator('a[href*="/edit/"]').count(), 0, 'a local folder page has no edit link');
    await page.close();
  });

  describe('a crawl of every internal link from /', () => {
    let crawl: CrawlResult;
    const englishHome = (l: BrokenLink): boolean => new URL(l.href, base).pathname === '/en/';
    const show = (links: BrokenLink[]): string[] => links.map((l) => `${l.from} → ${decodeURIComponent(l.href)}: ${l.why}`);
    before(async () => {
      crawl = await crawlSite(browser, `${base}/`);
    });

    it('finds no broken link (fragments included), no console error and no failed request', (t) => {
      t.diagnostic(`crawled ${crawl.pages.length} pages, ${crawl.links} distinct internal links (path#fragment)`);
      t.diagnostic(`pages: ${crawl.pages.join(' ')}`);
      for (const p of [
        '/',
        '/en/',
        '/widgets/',
        '/widgets/install/',
        '/widgets/xss/',
        '/en/widgets/',
        '/en/widgets/install/',
        '/gadgets/',
        '/en/gadgets/',
        '/gadgets/usage/',
        '/handbook/',
        '/handbook/onboarding/',
      ]) {
        assert.ok(crawl.pages.includes(p), `crawl reached ${p}`);
      }
      // Links to the English home /en/ are checked by the next test.
      assert.deepEqual(show(crawl.broken.filter((l) => l.kind === 'anchor' && !englishHome(l))), []);
      assert.deepEqual(crawl.errors, []);
      assert.deepEqual(crawl.failedRequests, []);
    });

    it('links English pages to an English home page that exists', () => {
      assert.deepEqual(show(crawl.broken.filter((l) => l.kind === 'anchor' && englishHome(l))), []);
    });

    it('offers, in the language select, only pages that exist', (t) => {
      const broken = crawl.broken.filter((l) => l.kind === 'language-select');
      t.diagnostic(`language-select targets that do not exist: ${[...new Set(broken.map((l) => l.why))].join('; ')}`);
      assert.deepEqual(show(broken), []);
    });
  });

  it('follows the cross-source GitHub link and the anchor to a Chinese heading on another page', async () => {
    const { page, problems } = await open('/gadgets/');
    const link = page.locator('main a', { hasText: '小部件的准备工作' });
    const href = decodeURIComponent((await link.getAttribute('href'))!);
    // Ids in page bodies carry GitHub's user-content- prefix (no author id can clobber a global); links follow.
    assert.equal(href, '/widgets/install/#user-content-准备工作');
    await link.click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname + u.hash) === '/widgets/install/#user-content-准备工作');
    await page.locator('main h2#user-content-准备工作').waitFor();
    assert.equal(path(page), '/widgets/install/');
    assert.equal(await page.locator('main table td').first().innerText(), 'region');
    assert.match(await page.locator('main pre').first().innerText(), /npm install widgets --save/);
    if (update) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SCREENSHOTS, 'chinese-page.png') });
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('runs no script from the docs (<script>, onerror=, javascript: links)', async () => {
    const { page } = await open('/widgets/xss/');
    await page.waitForLoadState('load');
    assert.match(await page.locator('main').innerText(), /This page tries to run scripts/);
    assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
    for (const name of ['javascript link', 'html javascript link']) {
      const links = page.locator('main a', { hasText: name });
      for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
        assert.doesNotMatch(href, /^\s*javascript:/i, `${name} kept a javascript: URL`);
      }
      if (await links.count())
        await links
          .first()
          .click({ timeout: 2000 })
          .catch(() => {});
    }
    assert.equal(await page.evaluate(() => (window as any).__xss), undefined);
    const html = await page.content();
    assert.doesNotMatch(html, /__xss/, 'no trace of the injected code in the page');
    await page.close();
  });
});
