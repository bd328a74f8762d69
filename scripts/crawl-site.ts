/**
 * Realism check of a built site in Chromium (not a test): `npm run crawl:site -- <site folder>`, e.g. a
 * release under DATA_DIR/releases/ or `bench:build -- --corpus <dir> --keep`'s. Serves the folder on
 * 127.0.0.1, crawls every page reachable from the home page (links, language select, #fragments) with
 * test/support/crawlSite.ts, and prints pages, links, broken links grouped by why, console errors and
 * failed requests (with their hosts: pictures on the internet fail on a machine without it).
 * CRAWL_SHOW=n prints n examples of each (default 10). Uses Debian's chromium (see launchBrowser.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serveStatic } from '../functions/core/http/serveStatic.ts';
import { toNodeListener } from '../functions/local/toNodeListener.ts';
import { crawlSite } from '../test/support/crawlSite.ts';
import { launchBrowser } from '../test/support/launchBrowser.ts';

const dir = process.argv[2];
if (!dir) {
  console.error('Usage: npm run crawl:site -- <folder of a built site>');
  process.exit(2);
}
const root = resolve(dir);
const show = Number(process.env.CRAWL_SHOW ?? 10);
const server = createServer(toNodeListener((request) => serveStatic(request, root)));
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchBrowser();
try {
  const started = performance.now();
  const result = await crawlSite(browser, `${base}/`, { maxPages: 100_000 });
  const count = (items: string[]): Array<[string, number]> =>
    [...items.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1]);
  console.log(
    `crawl of ${root}: ${result.pages.length} pages, ${result.links} distinct internal links, ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(`broken links: ${result.broken.length}`);
  const why = (text: string): string => (/^no element with id/.test(text) ? 'missing #anchor on the target page' : text.replace(/^\S+ /, 'target '));
  for (const [kind, n] of count(result.broken.map((b) => why(b.why)))) console.log(`  ${String(n).padStart(5)}  ${kind}`);
  for (const b of result.broken.slice(0, show)) console.log(`    e.g. on ${b.from}: ${b.href} (${b.why})`);
  const hosts = (lines: string[]): string[] => lines.map((l) => /https?:\/\/([^/\s]+)/.exec(l)?.[1] ?? l.replace(/^\S+: /, ''));
  console.log(`console errors: ${result.errors.length}; failed requests: ${result.failedRequests.length}`);
  for (const [host, n] of count(hosts(result.failedRequests)).slice(0, show)) console.log(`  ${String(n).padStart(5)}  ${host}`);
  for (const e of result.errors.filter((e) => !/ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/.test(e)).slice(0, show)) console.log(`    error: ${e}`);
} finally {
  await browser.close();
  server.close();
}
