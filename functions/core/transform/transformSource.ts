import type { Diagnostic, FetchedSource, Page, SourceFile } from '../types.ts';
import type { Root } from 'mdast';
import { VFile } from 'vfile';
import { createLinkProcessor, createOutlineProcessor } from './createProcessor.ts';
import { githubFileUrl } from './githubUrls.ts';
import { limitNesting, MAX_NESTING } from './limitNesting.ts';
import { excludedLanguage as otherLanguage, type PagePlace } from '../pageSlug.ts';
import { buildSiteIndex, type SiteIndex } from './siteIndex.ts';
import { emptyLinkStats, type DocsData, type LinkStats, type TransformData } from './transformData.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const outlineProcessor = createOutlineProcessor();
const linkProcessor = createLinkProcessor();

export interface TransformOptions {
  /**
   * Every source of the site (buildSiteIndex over all fetched sources), so links to other sources
   * and anchors on their pages resolve. Without it only this source's pages are known.
   */
  siteIndex?: SiteIndex;
  /** Called before each file is parsed (`parse`) and before its links are rewritten (`links`): progress. */
  onFile?: (path: string, pass: 'parse' | 'links') => void;
}

export interface TransformResult {
  pages: Page[];
  diagnostics: Diagnostic[];
  /** What the link rewriter did, summed over the source's pages. */
  links: LinkStats;
}

/**
 * Text of a file. Non-UTF-8 bytes are decoded with U+FFFD replacement (the page is still produced so
 * links to it work) and reported as 'encoding'. A UTF-8 byte order mark is dropped.
 */
function decode(file: SourceFile, sourceId: string, diagnostics: Diagnostic[]): string {
  try {
    return strictUtf8.decode(file.content);
  } catch {
    diagnostics.push({
      source: sourceId,
      file: file.path,
      kind: 'encoding',
      message: 'The file is not valid UTF-8; invalid bytes were replaced by U+FFFD (�). Save the file as UTF-8.',
    });
    return lenientUtf8.decode(file.content);
  }
}

/** Not expected for any input; kept so one odd file cannot stop a whole build. */
function failed(source: string, file: string, error: unknown): Diagnostic {
  return {
    source,
    file,
    kind: 'other',
    message: `Could not transform this file (${error instanceof Error ? error.message : String(error)}); it was skipped. Please report this as a docs-sync bug.`,
  };
}

/** The site index to use: the given one when it was built from this very fetch, else one that includes it. */
function indexFor(fetched: FetchedSource, given: SiteIndex | undefined): SiteIndex {
  if (!given) return buildSiteIndex([fetched]);
  if (given.sources.get(fetched.source.id)?.fetched === fetched) return given;
  const others = [...given.sources.values()].map((s) => s.fetched).filter((f) => f.source.id !== fetched.source.id);
  return buildSiteIndex([...others, fetched], given.options);
}

/**
 * Turn one fetched source into site pages: each markdown file under the source's docs paths becomes a
 * Page at its place (pagePlaces: slug, language, translationKey), with front matter fields, rewritten
 * links (resolveDocLink), sanitised HTML, `editUrl` (GitHub sources) and `lastUpdated` (the file's
 * last commit). Content problems are returned as diagnostics, never thrown.
 *
 * When several files map to one slug (`docs/readme.md` and `docs/zh/readme.md`, `a.md` and
 * `a/readme.md`, `Foo.md` and `foo.md`), one is kept (see siteIndex.ts `rank`): a file in a language
 * folder or with a language suffix, then a readme, an index, the first by path; the others are
 * reported as 'duplicate-page'. Pages come back sorted by slug; diagnostics in file order.
 */
export function transformSource(fetched: FetchedSource, options: TransformOptions = {}): TransformResult {
  const { source } = fetched;
  const site = indexFor(fetched, options.siteIndex);
  const indexed = site.sources.get(source.id)!;
  const diagnostics: Diagnostic[] = [];
  const links = emptyLinkStats();
  // Two passes, so every page's outline (heading ids) is known before links to it are rewritten:
  // 1. parse, front matter, sanitise, outline; 2. rewrite links and print.
  const parsed: Array<{ file: SourceFile; vfile: VFile; tree: Root; data: TransformData; place: PagePlace }> = [];
  for (const file of [...fetched.files].sort((a, b) => byPath(a.path, b.path))) {
    const place = indexed.places.get(file.path);
    if (!place) {
      const lang = otherLanguage(source, file.path);
      const why = lang
        ? `in ${lang}, which is not one of the site's languages (site.languages in the sources file)`
        : `not a markdown file under the docs paths (${source.paths.join(', ')})`;
      diagnostics.push({ source: source.id, file: file.path, kind: 'other', message: `Skipped: ${why}.` });
      continue;
    }
    const winner = indexed.pages.get(place.slug);
    if (winner !== file) {
      diagnostics.push({
        source: source.id,
        file: file.path,
        kind: 'duplicate-page',
        message: `Skipped: ${file.path} and ${winner?.path} both become the page /${place.slug}/; ${winner?.path} was kept. Rename or remove one of them.`,
      });
      continue;
    }
    options.onFile?.(file.path, 'parse');
    const nesting = limitNesting(decode(file, source.id, diagnostics));
    if (nesting.limited) {
      diagnostics.push({
        source: source.id,
        file: file.path,
        kind: 'other',
        message: `Nested ${nesting.depth} levels deep (lists, block quotes or indentation; at most ${MAX_NESTING} are rendered): the page shows its text as it is, in a code block. Flatten the nesting.`,
      });
    }
    const text = nesting.text;
    const docs: DocsData = { source, file: file.path, paths: source.paths, slugs: indexed.slugs, place, site };
    const data: TransformData = { docs, diagnostics: [], page: {}, links: emptyLinkStats() };
    const vfile = new VFile({ value: text, path: file.path, data });
    try {
      const tree = outlineProcessor.runSync(outlineProcessor.parse(vfile), vfile) as Root;
      if (data.outline) site.remember(place.slug, data.outline);
      parsed.push({ file, vfile, tree, data, place });
    } catch (error) {
      diagnostics.push(failed(source.id, file.path, error));
    }
  }
  const pages: Page[] = [];
  for (const { file, vfile, tree, data, place } of parsed) {
    let body: string;
    options.onFile?.(file.path, 'links');
    try {
      body = linkProcessor.stringify(linkProcessor.runSync(tree, vfile) as Root, vfile);
    } catch (error) {
      diagnostics.push(failed(source.id, file.path, error));
      continue;
    }
    diagnostics.push(...data.diagnostics);
    for (const key of Object.keys(links) as Array<keyof LinkStats>) links[key] += data.links?.[key] ?? 0;
    const { title, description, order, category, aliases } = data.page;
    const page: Page = {
      source: source.id,
      slug: place.slug,
      file: file.path,
      title: title ?? place.slug,
      body,
      lang: place.lang,
      translationKey: place.translationKey,
    };
    if (description !== undefined) page.description = description;
    if (order !== undefined) page.order = order;
    if (category !== undefined) page.category = category;
    if (aliases?.length) page.aliases = aliases;
    if (source.repo) page.editUrl = githubFileUrl(site.githubUrl, source.repo, 'edit', fetched.ref, file.path);
    if (file.lastCommit?.date) page.lastUpdated = file.lastCommit.date;
    pages.push(page);
  }
  pages.sort((a, b) => byPath(a.slug, b.slug));
  return { pages, diagnostics, links };
}
