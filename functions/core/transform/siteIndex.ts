import { slug as githubSlug } from 'github-slugger';
import { posix } from 'node:path';
import { pagePlaces, prefixed, rootLanguage, type PagePlace } from '../pageSlug.ts';
import type { FetchedSource, SourceFile } from '../types.ts';
import { githubWebUrl } from './githubUrls.ts';
import type { Outline } from './outline.ts';
import { outlineOf } from './outlineOf.ts';
import { slugSegments, under } from './publishedUrls.ts';

/** One source as the site sees it. */
export interface IndexedSource {
  fetched: FetchedSource;
  /** Every markdown file under the docs folders → where it is published (several files may share a slug). */
  places: Map<string, PagePlace>;
  /** Slug → the file published there (see `rank`). */
  pages: Map<string, SourceFile>;
  /** File → slug, for every file in `places`. */
  slugs: Map<string, string>;
  /** Folder (repo-relative, `.` for the root) → slug of its readme/index page. */
  folders: Map<string, string>;
}

export interface SiteIndexOptions {
  /** GitHub API base URL (`GITHUB_API_URL`); its web host is where edit links and blob/tree links go. */
  githubApiUrl?: string;
  /** Base URLs of this site (e.g. PUBLIC_URL): `<base>/[en/]<source>/<path>` links become internal. */
  siteUrls?: string[];
}

/** Every page of every source, for links between sources and anchors on other pages. */
export interface SiteIndex {
  /** GitHub web base URL, e.g. `https://github.com`. */
  readonly githubUrl: string;
  readonly options: SiteIndexOptions;
  readonly sources: ReadonlyMap<string, IndexedSource>;
  /** Sources of a repository (`owner/name`, any case). */
  repoSources(repo: string): IndexedSource[];
  /** The source and file published at a slug. */
  page(slug: string): { source: IndexedSource; file: SourceFile } | undefined;
  /**
   * The slug named by a URL of this site (absolute, or a root-relative path) or of a source's
   * `publishedUrls` (`<base><path>`, `/en/` after the host for English; when the source has several
   * docs folders, `<base><path>` may also leave out the folder: `<base>command/` finds `docs/command/`).
   */
  publishedPage(url: string): string | undefined;
  /** The link targets of a page (computed on first use, then kept). */
  outline(slug: string): Outline | undefined;
  /** Keep an outline computed while transforming the page. */
  remember(slug: string, outline: Outline): void;
}

/** Which file gets a slug several files map to: language-marked first, then readme, index, others; then path. */
function rank(file: string, place: PagePlace): number {
  const marker = place.marker === 'folder' ? 0 : place.marker === 'suffix' ? 1 : 2;
  const name = !place.index ? 2 : /^readme/i.test(posix.basename(file)) ? 0 : 1;
  return marker * 3 + name;
}
const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Place every markdown file of a source and pick the file for each slug. */
export function indexSource(fetched: FetchedSource): IndexedSource {
  const files = [...fetched.files].sort((a, b) => byPath(a.path, b.path));
  const places = pagePlaces(
    fetched.source,
    files.map((f) => f.path),
  );
  const pages = new Map<string, SourceFile>();
  const slugs = new Map<string, string>();
  const folders = new Map<string, string>();
  const ranked = files
    .filter((f) => places.has(f.path))
    .sort((a, b) => rank(a.path, places.get(a.path)!) - rank(b.path, places.get(b.path)!) || byPath(a.path, b.path));
  for (const file of ranked) {
    const place = places.get(file.path)!;
    slugs.set(file.path, place.slug);
    if (!pages.has(place.slug)) pages.set(place.slug, file);
    const folder = posix.dirname(file.path);
    if (place.index && place.marker !== 'suffix' && !folders.has(folder)) folders.set(folder, place.slug);
  }
  return { fetched, places, pages, slugs, folders };
}

/**
 * Index the pages of all sources of the site (cheap: outlines are computed when first asked for).
 * transformSource(fetched, { siteIndex }) uses it for links to other sources and anchors.
 */
export function buildSiteIndex(fetchedSources: readonly FetchedSource[], options: SiteIndexOptions = {}): SiteIndex {
  const sources = new Map<string, IndexedSource>();
  const byRepo = new Map<string, IndexedSource[]>();
  const bySlug = new Map<string, { source: IndexedSource; file: SourceFile }>();
  for (const fetched of fetchedSources) {
    const indexed = indexSource(fetched);
    sources.set(fetched.source.id, indexed);
    const repo = fetched.source.repo;
    if (repo) {
      const key = `${repo.owner}/${repo.name}`.toLowerCase();
      byRepo.set(key, [...(byRepo.get(key) ?? []), indexed]);
    }
    for (const [slug, file] of indexed.pages) if (!bySlug.has(slug)) bySlug.set(slug, { source: indexed, file });
  }
  const siteBases = (options.siteUrls ?? []).flatMap((u) => (URL.canParse(u) ? [new URL(u)] : []));
  const published = [...sources.values()].flatMap((s) =>
    (s.fetched.source.publishedUrls ?? []).flatMap((u) => (URL.canParse(u) ? [{ base: new URL(u), source: s.fetched.source }] : [])),
  );
  const outlines = new Map<string, Outline>();

  const sitePath = (tail: string): string | undefined => {
    const segments = slugSegments(tail);
    const slug = segments.join('/');
    if (bySlug.has(slug)) return slug;
    // A path as the site serves it, e.g. a version's tree `/fc/v1.10/x/` (its dot is not slugged away).
    const served = tail.split('/').filter(Boolean).join('/').toLowerCase();
    return bySlug.has(served) ? served : undefined;
  };

  return {
    githubUrl: githubWebUrl(options.githubApiUrl),
    options,
    sources,
    repoSources: (repo) => byRepo.get(repo.toLowerCase()) ?? [],
    page: (slug) => bySlug.get(slug),
    publishedPage(raw) {
      if (raw.startsWith('/') && !raw.startsWith('//')) return sitePath(raw.split(/[?#]/)[0] ?? '');
      const url = URL.canParse(raw) ? new URL(raw) : undefined;
      if (!url) return undefined;
      for (const base of siteBases) {
        const m = under(url, base);
        if (m) return sitePath(m.tail);
      }
      for (const { base, source } of published) {
        const m = under(url, base);
        if (!m) continue;
        // With several docs folders the former site may not have had the folder in its URLs.
        const folders = source.paths.length > 1 ? [[], ...source.paths.map((p) => p.split('/').map((s) => githubSlug(s)))] : [[]];
        for (const folder of folders) {
          // An unprefixed former URL: the page in the site's default language, else its Chinese one.
          const root = rootLanguage(source.languages);
          for (const lang of m.en ? (['en'] as const) : ([root, 'zh-CN'] as const)) {
            const slug = prefixed([source.id, ...folder, ...slugSegments(m.tail)].join('/'), lang, root);
            if (bySlug.has(slug)) return slug;
          }
        }
      }
      return undefined;
    },
    outline(slug) {
      const cached = outlines.get(slug);
      if (cached) return cached;
      const found = bySlug.get(slug);
      if (!found) return undefined;
      const { source, file } = found;
      const place = source.places.get(file.path)!;
      const outline = outlineOf(
        { source: source.fetched.source, file: file.path, paths: source.fetched.source.paths, slugs: source.slugs, place },
        file.content,
      );
      outlines.set(slug, outline);
      return outline;
    },
    remember: (slug, outline) => void outlines.set(slug, outline),
  };
}
