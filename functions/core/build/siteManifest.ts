import { DEFAULT_SITE_LANGUAGES, siteLanguagesOf, type SiteLanguages } from '../config/siteLanguages.ts';
import { languagePrefix } from '../pageSlug.ts';
import type { Lang, Page, SourceConfig, SourceVersion } from '../types.ts';
import { fileSafeId } from '../versions/expandVersions.ts';

const isLang = (lang: string): lang is Lang => lang === 'en' || lang === 'zh-CN';

/** Site-wide settings given to writeContent. */
export interface SiteMeta {
  /** Site title (header, browser tab, landing page). Default "docs-sync". */
  title?: string;
  /** Meta description, also the landing page's intro. */
  description?: string;
  /** Public base URL, e.g. https://docs.example.com (canonical links and sitemap). */
  url?: string;
  /** Language of pages without one (Page.lang undefined) and of the Starlight UI. Default: the first of the site's languages (zh-CN). */
  lang?: string;
  /** GitHub web base URL for repository links (GitHub Enterprise: its host). Default https://github.com. */
  githubUrl?: string;
  /** Per source id: when its docs last changed, and whether it is served from its last good copy. */
  sourceStatus?: Record<string, SourceStatus>;
}

export interface SourceStatus {
  lastUpdated?: string;
  /** Set when fetching failed and the source is served from the copy fetched at this time. */
  staleSince?: string;
  error?: string;
}

/**
 * What the site's bundle depends on besides its code: astro.config.mjs reads only this. When it
 * changes the site builder bundles again and re-renders every page, so keep per-page data out of it.
 */
export interface SiteConfig {
  title: string;
  description?: string;
  url?: string;
  /** Starlight locales: the root (default language), plus `en` or `zh` for the other language's pages. */
  locales: Record<string, { label: string; lang: string }>;
  /**
   * Pagefind indexes besides the main one (`/pagefind/`): one per shard, at `/pagefind/shard/<name>/`,
   * merged by the site's search. Old versions' shards (sources file `versions:`) are not listed: their
   * pages are indexed but left out of the search (and a new version does not re-bundle the site).
   */
  search: { shards: string[] };
}

/** A page in a source's navigation. */
export interface ManifestPage {
  slug: string;
  title: string;
  order?: number;
  /** Sidebar group within its folder (front matter `category`, the Serverless Devs convention). */
  category?: string;
  /** Written by docs-sync itself (a source's index when it has no readme). */
  generated?: true;
}

/** Everything the site builder needs to know about one page besides its markdown file. */
export interface PageEntry extends ManifestPage {
  /** The source it belongs to; undefined for the home page. */
  source?: string;
  /** Its markdown file, relative to the content dir. */
  file: string;
  /** sha256 of that file, so the builder reads and renders only files it has not seen. */
  digest: string;
  /** Search index shard (SiteConfig.search.shards); undefined = the main index. */
  shard?: string;
  description?: string;
  lang: string;
  translationKey?: string;
  /** ISO date of the source file's last commit. */
  lastUpdated?: string;
  editUrl?: string;
  template?: 'splash';
  /** Starlight's hero on a splash page (the home pages): the title, then this line. */
  hero?: { tagline: string };
}

export interface ManifestSource {
  id: string;
  title: string;
  description?: string;
  /** `owner/name` for GitHub sources. */
  repo?: string;
  /** Its pages in every language, in slug order. */
  pages: ManifestPage[];
  /** Set on each version of a versioned source (the latest keeps the source's id). */
  version?: SourceVersion;
}

/** `site.json`: everything the build needs besides the markdown files. */
export interface SiteManifest {
  config: SiteConfig;
  sources: ManifestSource[];
  /** Every page written, the home page (slug "") included. */
  pages: PageEntry[];
}

/** `Page.file` of pages docs-sync writes itself. */
export const GENERATED = '(generated)';
/** More sources than this share search shards (so a search never fetches too many indexes). */
export const MAX_SEARCH_SHARDS = 24;

/** Search shard of each source: its own id, or one of MAX_SEARCH_SHARDS groups when there are more. */
export function searchShards(sourceIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of sourceIds) {
    if (sourceIds.length <= MAX_SEARCH_SHARDS) {
      out.set(id, fileSafeId(id));
      continue;
    }
    let h = 0;
    for (const ch of id) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
    out.set(id, `group-${h % MAX_SEARCH_SHARDS}`);
  }
  return out;
}

/**
 * The Starlight locales: root in the site's language, plus the site's other language (at `/en/` or
 * `/zh/`, languagePrefix) when some pages are in it. Labels from the sources file's `site.languages`.
 */
export function siteLocales(rootLang: string, pageLangs: Iterable<string>, site: SiteLanguages = DEFAULT_SITE_LANGUAGES): SiteConfig['locales'] {
  const label = (lang: string): string =>
    site.labels[lang as keyof SiteLanguages['labels']] ?? DEFAULT_SITE_LANGUAGES.labels[lang as keyof SiteLanguages['labels']] ?? lang;
  const locales: SiteConfig['locales'] = { root: { label: label(rootLang), lang: rootLang } };
  const langs = new Set(pageLangs);
  for (const lang of site.languages) {
    const prefix = isLang(rootLang) ? languagePrefix(lang, rootLang) : undefined;
    if (prefix !== undefined && langs.has(lang)) locales[prefix] = { label: label(lang), lang };
  }
  return locales;
}

/** The manifest's source list and site config for the pages that will be written. */
export function siteManifest(pages: readonly Page[], sources: readonly SourceConfig[], meta: SiteMeta, entries: PageEntry[]): SiteManifest {
  const manifestSources = sources.map((source): ManifestSource => {
    const own = pages
      .filter((p) => p.source === source.id)
      .map((p): ManifestPage => {
        const page: ManifestPage = { slug: p.slug, title: p.title };
        if (p.order !== undefined) page.order = p.order;
        if (p.category !== undefined) page.category = p.category;
        if (p.file === GENERATED) page.generated = true;
        return page;
      });
    const out: ManifestSource = { id: source.id, title: source.title, pages: own };
    if (source.description !== undefined) out.description = source.description;
    if (source.repo) out.repo = `${source.repo.owner}/${source.repo.name}`;
    if (source.version) out.version = source.version;
    return out;
  });
  // Old versions have shards of their own (never shared with the latest pages), kept out of the search.
  const older = sources.filter((s) => s.version?.latest === false);
  const shards = searchShards(sources.filter((s) => s.version?.latest !== false).map((s) => s.id));
  const searched = [...new Set(shards.values())].sort();
  for (const s of older) shards.set(s.id, fileSafeId(s.id));
  const config: SiteConfig = {
    title: meta.title ?? 'docs-sync',
    locales: siteLocales(
      meta.lang ?? siteLanguagesOf(sources).languages[0]!,
      entries.map((e) => e.lang),
      siteLanguagesOf(sources),
    ),
    search: { shards: searched },
  };
  if (meta.description !== undefined) config.description = meta.description;
  if (meta.url !== undefined) config.url = meta.url;
  for (const entry of entries) {
    const shard = entry.source === undefined ? undefined : shards.get(entry.source);
    if (shard !== undefined) entry.shard = shard;
  }
  return { config, sources: manifestSources, pages: entries };
}
