import type { Browser, Page } from 'playwright';

/** How a link was found: an `<a href>`, or an option of Starlight's language select. */
export type LinkKind = 'anchor' | 'language-select';

/** A link that leads nowhere: a target that is not a 200 page, or a `#fragment` with no such id there. */
export interface BrokenLink {
  from: string;
  href: string;
  kind: LinkKind;
  why: string;
}

/** What a crawl of a site saw. */
export interface CrawlResult {
  /** Pages visited (decoded pathnames), in visiting order. */
  pages: string[];
  /** Distinct same-origin links found (decoded pathname + fragment). */
  links: number;
  broken: BrokenLink[];
  /** Console errors and uncaught page errors on pages that loaded (status 200), with the page. */
  errors: string[];
  /** Sub-requests that failed or answered >= 400 on pages that loaded, with the page. */
  failedRequests: string[];
}

/**
 * Breadth-first crawl, in a real browser, of every same-origin page reachable from `start` through
 * `<a href>`s and the language select's options: percent-encoding decoded, each page visited once, and
 * each `#fragment` checked against the ids on its target page. A page that does not answer 200 is
 * reported once per link to it (its own console noise is not counted as an error).
 */
export async function crawlSite(browser: Browser, start: string, options: { maxPages?: number } = {}): Promise<CrawlResult> {
  const origin = new URL(start).origin;
  const result: CrawlResult = { pages: [], links: 0, broken: [], errors: [], failedRequests: [] };
  const page: Page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  let visit: { errors: string[]; failed: string[] } = { errors: [], failed: [] };
  page.on('console', (m) => m.type() === 'error' && visit.errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => visit.errors.push(`page error: ${e.message}`));
  // net::ERR_ABORTED is the browser cancelling a request (leaving the page, e.g. a late favicon): not a failure.
  page.on('requestfailed', (r) => r.failure()?.errorText !== 'net::ERR_ABORTED' && visit.failed.push(`${r.failure()?.errorText ?? 'failed'} ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && visit.failed.push(`${r.status()} ${decodeURI(r.url())}`));

  const status = new Map<string, number>();
  const ids = new Map<string, Set<string>>();
  const links: Array<{ from: string; href: string; kind: LinkKind; path: string; id: string }> = [];
  const first = decodeURIComponent(new URL(start).pathname);
  const queue: string[] = [first];
  const seen = new Set(queue);
  const max = options.maxPages ?? 500;

  while (queue.length && result.pages.length < max) {
    const path = queue.shift()!;
    visit = { errors: [], failed: [] };
    const res = await page.goto(new URL(encodeURI(path), origin).href, { waitUntil: 'load' });
    result.pages.push(path);
    status.set(path, res?.status() ?? 0);
    if (res?.status() !== 200) continue;
    ids.set(path, new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id))));
    const found = await page.$$eval('a[href], starlight-lang-select option[value]', (els) =>
      els.map((e) => (e.tagName === 'OPTION' ? { href: e.getAttribute('value')!, select: true } : { href: e.getAttribute('href')!, select: false })),
    );
    for (const { href, select } of found) {
      const kind: LinkKind = select ? 'language-select' : 'anchor';
      let url: URL;
      try {
        url = new URL(href, page.url());
      } catch {
        result.broken.push({ from: path, href, kind, why: 'not a URL' });
        continue;
      }
      if (url.origin !== origin) continue;
      const target = decodeURIComponent(url.pathname);
      links.push({ from: path, href, kind, path: target, id: url.hash ? decodeURIComponent(url.hash.slice(1)) : '' });
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
    result.errors.push(...visit.errors.map((e) => `${path}: ${e}`));
    result.failedRequests.push(...visit.failed.map((e) => `${path}: ${e}`));
  }
  result.links = new Set(links.map((l) => `${l.path}#${l.id}`)).size;
  const reported = new Set<string>();
  for (const l of links) {
    const key = `${l.from}\n${l.href}\n${l.kind}`;
    if (reported.has(key)) continue; // the same link twice on a page (e.g. desktop and mobile language selects)
    reported.add(key);
    const code = status.get(l.path);
    if (code === undefined) continue; // not visited (maxPages)
    if (code !== 200) result.broken.push({ from: l.from, href: l.href, kind: l.kind, why: `${l.path} answered ${code}` });
    else if (l.id && !ids.get(l.path)!.has(l.id))
      result.broken.push({ from: l.from, href: l.href, kind: l.kind, why: `no element with id "${l.id}" on ${l.path}` });
  }
  await page.close();
  return result;
}
