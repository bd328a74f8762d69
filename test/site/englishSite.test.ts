/**
 * `npm start` on a fresh clone: the shipped guide (site/sources.yaml, `site.languages: [en]`) is built
 * by the real pipeline and must be English throughout, checked in Chromium: html lang, Starlight's UI
 * strings, the home page's hero and cards, the search dialog, the 404 page; no Chinese anywhere, no
 * language select, no hreflang alternates to languages the site does not have.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { launchBrowser } from '../support/launchBrowser.ts';
import { startServerProcess, waitForLatestBuild, type ServerProcess } from '../support/startServerProcess.ts';
import { openWatchedPage } from '../support/watchedPage.ts';

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/** The text a reader sees around the document (header, sidebar, table of contents, footer, dialogs), without the document's own words. */
const chromeText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const content = [...document.querySelectorAll<HTMLElement>('.sl-markdown-content')];
    for (const el of content) el.style.display = 'none';
    const text = document.body.innerText;
    for (const el of content) el.style.display = '';
    return text;
  });

describe('the shipped guide, as npm start serves it, is an English site', () => {
  const dir = mkdtempSync(join(tmpdir(), 'english-site-'));
  let server: ServerProcess | undefined;
  let browser: Browser;
  let base: string;

  before(async () => {
    // No SOURCES_FILE: the default, this project's own guide.
    server = await startServerProcess({ DATA_DIR: join(dir, 'data'), NOTIFY_ON: 'none' });
    base = server.url;
    const build = await waitForLatestBuild(base, 180_000);
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error ?? build));
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('home page: lang="en", an English hero and cards, English UI, no Chinese, no language select', async () => {
    const { page, problems } = await openWatchedPage(browser, `${base}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, CJK, 'no Chinese on the home page');
    assert.match(await page.locator('.hero').innerText(), /3 components, \d+ pages, each kept in step with its own repository\./);
    for (const title of ['Getting started', 'Configuration', 'Deploy to Function Compute'])
      await page.locator('main').getByRole('link', { name: title, exact: true }).waitFor();
    assert.equal(await page.locator('starlight-lang-select').count(), 0);
    assert.equal(await page.locator('link[rel="alternate"][hreflang]').count(), 0, 'no alternates to languages the site does not have');
    assert.equal(await page.locator('button[data-open-modal]').first().getAttribute('aria-label'), 'Search');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('a guide page: English UI strings (On this page, search dialog, component filter), no Chinese', async () => {
    const { page, problems } = await openWatchedPage(browser, `${base}/configuration/environment-variables/`, { viewport: { width: 1280, height: 800 } });
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.locator('starlight-toc h2').first().innerText(), /^On this page$/);
    assert.doesNotMatch(await chromeText(page), CJK, 'the interface around the document is English');
    assert.equal(await page.locator('starlight-lang-select').count(), 0);
    assert.equal(await page.locator('link[rel="alternate"][hreflang]').count(), 0);
    await page.locator('button[data-open-modal]').first().click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    await dialog.locator('input').fill('token');
    await dialog.locator('.pagefind-ui__result').first().waitFor({ timeout: 15_000 });
    assert.doesNotMatch(await dialog.innerText(), CJK, 'the search dialog is in English');
    assert.match(await dialog.innerText(), /Component/, 'the component filter is named in English');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the 404 page is English too; /en/ is not a separate site', async () => {
    for (const path of ['/no-such-page/', '/en/']) {
      const { page } = await openWatchedPage(browser, `${base}${path}`);
      assert.equal(await page.getAttribute('html', 'lang'), 'en', path);
      const text = await page.locator('main').innerText();
      assert.match(text, /Page not found/, path);
      assert.doesNotMatch(await chromeText(page), CJK, path);
      await page.close();
    }
  });
});
