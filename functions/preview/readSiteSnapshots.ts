/**
 * `npm run preview -- <folder> --site URL`: the other sources as a deployed docs-sync site shows them,
 * read over HTTP from what every release publishes (siteStandIns.ts) — the local server or a static
 * bucket alike. Two requests (`/llms.txt`, `/llms-full.txt`); a page missing from the second is read
 * from its own `index.md`, a few at a time. `fetch` is injected (tests pass their own).
 */
import { mapLimit } from '../core/fetch/mapLimit.ts';
import type { FetchedSource, SourceConfig, SourceFile } from '../core/types.ts';
import { digestOf, parseLlmsTxt, slugOfTail, splitLlmsFull, standInFile, standInSource } from './siteStandIns.ts';

export interface SiteSnapshots {
  /** The site's components in its order, as sources entries (ids and titles from the site). */
  sources: SourceConfig[];
  /** Each component's pages as a fetched source. */
  fetched: Map<string, FetchedSource>;
  /** The live site's page list (slug → ''), for "pages that would move". */
  pages: Record<string, string>;
}

/** The site could not be read (unreachable, not docs-sync's, no pages): the message names the URL and what was missing. */
export class SiteReadError extends Error {
  override name = 'SiteReadError';
}

export interface ReadSiteOptions {
  fetch?: typeof globalThis.fetch;
  log?: (line: string) => void;
  /** Page requests in flight at once when llms-full.txt lacks pages. */
  concurrency?: number;
}

export async function readSiteSnapshots(siteUrl: string, options: ReadSiteOptions = {}): Promise<SiteSnapshots> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const log = options.log ?? (() => {});
  const root = siteUrl.replace(/\/+$/, '');
  const get = async (url: string): Promise<string | undefined> => {
    let response: Response;
    try {
      response = await doFetch(url, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new SiteReadError(`--site ${siteUrl}: cannot reach ${url} (${cause}). Check the URL and your network.`);
    }
    if (response.status === 404 || response.status === 403) return void (await response.body?.cancel());
    if (!response.ok) throw new SiteReadError(`--site ${siteUrl}: ${url} answered HTTP ${response.status}; try again later.`);
    return response.text();
  };

  const llms = await get(`${root}/llms.txt`);
  if (llms === undefined)
    throw new SiteReadError(`--site ${siteUrl}: not a docs-sync site: it has no ${root}/llms.txt (every docs-sync release publishes one).`);
  const listing = parseLlmsTxt(llms);
  if (!listing)
    throw new SiteReadError(`--site ${siteUrl}: not a docs-sync site: ${root}/llms.txt does not point at llms-full.txt the way docs-sync writes it.`);
  const all = listing.sources.flatMap((s) => s.tails);
  if (!all.length) throw new SiteReadError(`--site ${siteUrl}: ${root}/llms.txt lists no pages; has the site been built?`);
  log(`Reading ${all.length} pages of ${listing.sources.length} sources from ${root}/llms-full.txt…`);
  const full = await get(`${root}/llms-full.txt`);
  const texts = full === undefined ? new Map<string, string>() : splitLlmsFull(full, listing.base, new Set(all));

  const missing = all.filter((t) => !texts.has(t));
  const failed: string[] = [];
  if (missing.length) log(`Reading ${missing.length} pages one by one (${root}<page>index.md)…`);
  let done = 0;
  await mapLimit(missing, options.concurrency ?? 8, async (tail) => {
    const url = `${root}${tail}index.md`;
    const text = await get(url).catch((err: Error) => err);
    if (typeof text === 'string') texts.set(tail, text);
    else failed.push(text?.message ?? `${url} (not found)`);
    if (++done % 100 === 0) log(`  ${done}/${missing.length} pages read`);
  });
  if (failed.length) log(`${failed.length} page(s) could not be read and are left out, e.g. ${failed[0]}`);

  const sources: SourceConfig[] = [];
  const fetched = new Map<string, FetchedSource>();
  const pages: Record<string, string> = {};
  for (const entry of listing.sources) {
    const source = standInSource(entry);
    const files: SourceFile[] = [];
    for (const tail of entry.tails) {
      const text = texts.get(tail);
      if (text === undefined) continue;
      files.push(standInFile(tail, text, listing.base));
      pages[slugOfTail(tail)] = '';
    }
    sources.push(source);
    fetched.set(source.id, { source, sha: digestOf(files), ref: root, files });
  }
  log(`Read ${Object.keys(pages).length} pages from ${root}.`);
  return { sources, fetched, pages };
}
