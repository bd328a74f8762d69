/**
 * The site's redirects table, carried from build to build: pages that moved (matched by content, see
 * pageSketch.ts) and old URLs authors declare (`aliases:` in front matter) point at the page's URL now;
 * chains collapse (A→B, B→C gives A→C); a URL that is a page again loses its redirect; a page removed
 * with no successor is remembered as gone (its title and component), for the 404 page.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic, Page } from '../types.ts';
import { pageSketch, similarity } from './pageSketch.ts';

/** What a page was, for recognising it later at another URL. */
export interface KnownPage {
  source: string;
  /** Its file in the repository, for git's renames. */
  file?: string;
  title: string;
  sketch: number[];
  /** Digest of the text the sketch was made of: an unchanged page reuses its sketch. */
  digest?: string;
}

export interface RedirectState {
  /** Old URL path (`/fc/old/`) → the URL path it moved to. */
  redirects: Record<string, string>;
  /** URL path of a removed page with no successor → its title and component. */
  gone: Record<string, { title: string; component: string }>;
  /** Page URL path → what it showed, as of the last build. */
  pages: Record<string, KnownPage>;
}

/** Share of shingles two pages must have in common to count as one page moved. */
export const MOVED_SIMILARITY = 0.5;

export const pageUrl = (slug: string): string => `/${slug}/`;

/** First path segments naming the site's second language (`/en/` after Chinese, `/zh/` after English): never source ids. */
const LANGUAGE_PREFIXES: ReadonlySet<string> = new Set(['en', 'zh']);

/** The URL path an alias names, or why it cannot be one. */
export function aliasPath(alias: string): { path: string } | { error: string } {
  if (!alias.startsWith('/') || alias.startsWith('//') || /[\s?#\\%]/.test(alias))
    return { error: 'it must be a path on this site such as /fc/old/page/ (no host, query, # or spaces)' };
  const segments = alias.split('/').filter(Boolean);
  if (segments.length === 0 || (segments.length === 1 && LANGUAGE_PREFIXES.has(segments[0]!))) return { error: 'it names a home page' };
  if (segments.some((s) => s.startsWith('.') || s.startsWith('_')) || segments[0] === 'pagefind')
    return { error: 'it names a reserved path (dot or underscore names, /pagefind/)' };
  return { path: `/${segments.join('/')}/` };
}

/** The next table from the last one and this build's pages; alias problems are the page's diagnostics. */
export function updateRedirects(
  previous: RedirectState | undefined,
  pages: readonly Page[],
  options: { absent?: ReadonlySet<string>; renames?: ReadonlyArray<{ source: string; from: string; to: string }> } = {},
): { state: RedirectState; diagnostics: Diagnostic[]; moved: Array<{ from: string; to: string }> } {
  const diagnostics: Diagnostic[] = [];
  const now = new Map(pages.map((p) => [pageUrl(p.slug), p]));
  const known: Record<string, KnownPage> = {};
  // A source left out of this build (it failed with no good copy) keeps its pages: nothing of it moved.
  for (const [url, k] of Object.entries(previous?.pages ?? {})) if (options.absent?.has(k.source)) known[url] = k;
  for (const [url, p] of now) {
    const text = `${p.title}\n${p.body}`;
    const digest = createHash('sha1').update(text).digest('hex').slice(0, 16);
    const last = previous?.pages[url];
    known[url] = { source: p.source, file: p.file, title: p.title, sketch: last?.digest === digest ? last.sketch : pageSketch(text), digest };
  }
  const redirects: Record<string, string> = { ...previous?.redirects };
  const gone: Record<string, { title: string; component: string }> = { ...previous?.gone };

  // Moved pages: each removed page's most similar new page of the same source and language.
  const before = previous?.pages ?? {};
  const removed = Object.keys(before).filter((url) => !now.has(url) && !options.absent?.has(before[url]!.source));
  const added = [...now.keys()].filter((url) => !(url in before));
  // The language a URL is in: its /en/ or /zh/ prefix (the site's second language), or none (the first).
  const lang = (url: string) => {
    const first = url.split('/')[1] ?? '';
    return LANGUAGE_PREFIXES.has(first) ? first : '';
  };
  const pairs: Array<{ from: string; to: string; score: number }> = [];
  for (const from of removed) {
    for (const to of added) {
      if (before[from]!.source !== known[to]!.source || lang(from) !== lang(to)) continue;
      const score = similarity(before[from]!.sketch, known[to]!.sketch);
      if (score >= MOVED_SIMILARITY) pairs.push({ from, to, score });
    }
  }
  // Renames git detected come first (score above any similarity).
  for (const r of options.renames ?? []) {
    const from = removed.find((url) => before[url]!.source === r.source && before[url]!.file === r.from);
    const to = added.find((url) => known[url]!.source === r.source && known[url]!.file === r.to);
    if (from && to) pairs.push({ from, to, score: 2 });
  }
  const moved: Array<{ from: string; to: string }> = [];
  const taken = new Set<string>();
  for (const { from, to } of pairs.sort((a, b) => b.score - a.score)) {
    if (taken.has(from) || taken.has(to)) continue;
    taken.add(from).add(to);
    redirects[from] = to;
    moved.push({ from, to });
  }
  // A version no longer published (`<source>/<version>`, sources file `versions:`): its source's index instead.
  const published = new Set([...now.values()].map((p) => p.source));
  const componentOf = (source: string): string => (published.has(source) || !source.includes('/') ? source : source.split('/')[0]!);
  for (const from of removed) {
    if (!taken.has(from)) gone[from] = { title: before[from]!.title, component: componentOf(before[from]!.source) };
  }

  // Declared old URLs.
  const claimed = new Map<string, Page>();
  for (const p of pages) {
    for (const alias of p.aliases ?? []) {
      const checked = aliasPath(alias);
      const owner = 'path' in checked ? now.get(checked.path) : undefined;
      const other = 'path' in checked ? claimed.get(checked.path) : undefined;
      const problem =
        'error' in checked
          ? checked.error
          : owner
            ? `it is the URL of a page (${owner.file} in ${owner.source})`
            : other && other !== p
              ? `${other.file} in ${other.source} declares it too`
              : undefined;
      if (problem !== undefined || 'error' in checked) {
        diagnostics.push({ source: p.source, file: p.file, kind: 'front-matter', message: `Front matter alias "${alias}" was ignored: ${problem}.` });
        continue;
      }
      claimed.set(checked.path, p);
      redirects[checked.path] = pageUrl(p.slug);
    }
  }

  // Collapse chains; drop redirects from pages and to nowhere (their old URL is then gone). Pages of a
  // source left out of this build still count: they come back with it.
  const live = (url: string): boolean => url in known;
  for (const from of Object.keys(redirects)) {
    let to = redirects[from]!;
    const seen = new Set([from]);
    while (!live(to) && redirects[to] !== undefined && !seen.has(to)) {
      seen.add(to);
      to = redirects[to]!;
    }
    if (live(from) || !live(to)) {
      delete redirects[from];
      if (!live(from) && gone[to]) gone[from] = gone[to]!;
    } else redirects[from] = to;
  }
  for (const url of Object.keys(gone)) if (live(url) || redirects[url] !== undefined) delete gone[url];
  return { state: { redirects, gone, pages: known }, diagnostics, moved };
}
