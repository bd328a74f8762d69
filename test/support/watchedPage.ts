import type { Browser, Page } from 'playwright';

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught page errors, failed requests and answers >= 400, in the order they came. */
  problems: string[];
}

/**
 * A new Chromium page, opened at `url`, that records every problem a reader would not see: console errors,
 * uncaught page errors, requests that failed and responses >= 400. A navigation aborting the previous
 * page's requests still in flight (net::ERR_ABORTED) is not a problem. The caller closes `page`.
 *
 *   const { page, problems } = await openWatchedPage(browser, `${base}/`, { viewport: { width: 1280, height: 800 } });
 *   ...
 *   assert.deepEqual(problems, []);
 */
export async function openWatchedPage(
  browser: Browser,
  url: string,
  options: { viewport?: { width: number; height: number }; timeout?: number } = {},
): Promise<WatchedPage> {
  const page = await browser.newPage(options.viewport ? { viewport: options.viewport } : {});
  page.setDefaultTimeout(options.timeout ?? 10_000);
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && problems.push(`failed: ${r.failure()?.errorText} ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  await page.goto(url);
  return { page, problems };
}
