import { createHash } from 'node:crypto';
import { slugToUrl } from '../pageSlug.ts';
import type { ManifestSource, PageEntry, SiteManifest } from './siteManifest.ts';
import { sourceSidebar, type SidebarItem } from './sourceSidebar.ts';
import { isOldVersion, versionLinks, type VersionSwitch } from './versionLinks.ts';

/**
 * A sidebar entry in the shape of Starlight's route data (`starlightRoute.sidebar`), which the site's
 * route middleware (site/src/routeData.ts) puts on the page, marking the current page.
 */
export type NavEntry =
  | { type: 'link'; label: string; href: string; attrs: Record<string, never> }
  | { type: 'group'; label: string; entries: NavEntry[]; collapsed: boolean };
export type NavLink = Extract<NavEntry, { type: 'link' }>;

/** A sidebar shared by the pages of one component in one language. */
export interface Nav {
  /** sha256 of the entries: the name of its file, so a changed sidebar is a new file. */
  id: string;
  entries: NavEntry[];
}

/** Everything a page shows besides its body: the same spec renders the same HTML around the same body. */
export interface PageSpec {
  slug: string;
  /** Output file relative to the site root: `fc/命令/部署/index.html`, `index.html` for the home page. */
  outFile: string;
  entry: PageEntry;
  /** StarlightPage's front matter. */
  frontmatter: Record<string, unknown> & { title: string };
  nav?: Nav;
  pagination: { prev?: NavLink; next?: NavLink };
  /**
   * The languages this page exists in, in the order of the site's locales, itself included: what the
   * language select offers (locale key and label as in SiteConfig.locales, and the URL of that translation).
   */
  languages: Array<{ locale: string; label: string; lang: string; href: string }>;
  /**
   * Pagefind filter of a component's pages, `<name>:<component title>` with the name in the page's
   * language (组件 / Component): what lets a search be narrowed to one component.
   */
  searchFilter?: string;
  /** The version switcher of a versioned source's page (sources file `versions:`). */
  versions?: VersionSwitch;
  /** sha256 over front matter, sidebar, previous/next links, languages, search filter and versions. */
  navKey: string;
}

const SWITCHER_LABEL: Record<string, string> = { 'zh-CN': '全部组件', en: 'All components' };
const FILTER_NAME: Record<string, string> = { 'zh-CN': '组件', en: 'Component' };
const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
const link = (label: string, href: string): NavLink => ({ type: 'link', label, href, attrs: {} });

/** The locale key of a language (undefined = root). */
function localeOf(lang: string, manifest: SiteManifest): string | undefined {
  const key = Object.entries(manifest.config.locales).find(([, l]) => l.lang === lang)?.[0];
  return key === undefined || key === 'root' ? undefined : key;
}

/** One component's sidebar in one language (the other language's pages live under `en/<id>` or `zh/<id>`). */
function sourceEntries(source: ManifestSource, locale: string | undefined): NavEntry[] {
  const titles = new Map(source.pages.map((p) => [p.slug, p.title]));
  const convert = (items: SidebarItem[]): NavEntry[] =>
    items.map(
      (item): NavEntry =>
        'slug' in item
          ? link(titles.get(item.slug) ?? item.slug, slugToUrl(item.slug))
          : { type: 'group', label: item.label, entries: convert(item.items), collapsed: item.collapsed },
    );
  return convert(sourceSidebar(locale ? `${locale}/${source.id}` : source.id, source.pages));
}

function flatten(entries: NavEntry[], out: NavLink[] = []): NavLink[] {
  for (const entry of entries) {
    if (entry.type === 'link') out.push(entry);
    else flatten(entry.entries, out);
  }
  return out;
}

/**
 * The spec of every page in the manifest. A page's sidebar is a collapsed list of all components (the
 * component switcher) then its own component's tree in its language; previous/next links follow that
 * tree. So a page depends on its own fields, its component's titles and order, and the list of
 * components: exactly what `navKey` covers.
 */
export function pageSpecs(manifest: SiteManifest): PageSpec[] {
  const navs = new Map<string, { nav: Nav; order: NavLink[]; at: Map<string, number> }>();
  const switchers = new Map<string, NavEntry>();
  const switcher = (lang: string, locale: string | undefined): NavEntry => {
    let group = switchers.get(lang);
    if (!group) {
      // Old versions are reached from their component's version switcher, not listed as components.
      const entries = manifest.sources.flatMap((s) => {
        if (isOldVersion(s)) return [];
        const first = flatten(sourceEntries(s, locale))[0];
        return first ? [link(s.title, first.href)] : [];
      });
      group = { type: 'group', label: SWITCHER_LABEL[lang] ?? SWITCHER_LABEL.en!, entries, collapsed: true };
      switchers.set(lang, group);
    }
    return group;
  };
  const sources = new Map(manifest.sources.map((s) => [s.id, s]));
  const versionsOf = versionLinks(manifest);
  const translations = new Map<string, Map<string, string>>();
  for (const entry of manifest.pages) {
    if (entry.translationKey === undefined) continue;
    const langs = translations.get(entry.translationKey) ?? translations.set(entry.translationKey, new Map()).get(entry.translationKey)!;
    if (!langs.has(entry.lang)) langs.set(entry.lang, entry.slug);
  }
  const monolingual = Object.keys(manifest.config.locales).length < 2;
  const languagesOf = (entry: PageEntry): PageSpec['languages'] => {
    // A one-language site has nothing to switch to and no alternates to announce.
    if (monolingual) return [];
    const slugs = entry.translationKey === undefined ? new Map([[entry.lang, entry.slug]]) : translations.get(entry.translationKey)!;
    return Object.entries(manifest.config.locales).flatMap(([locale, { label, lang }]) => {
      const slug = lang === entry.lang ? entry.slug : slugs.get(lang);
      return slug === undefined ? [] : [{ locale, label, lang, href: slug === '' ? '/' : slugToUrl(slug) }];
    });
  };
  return manifest.pages.map((entry): PageSpec => {
    const frontmatter: PageSpec['frontmatter'] = { title: entry.title };
    if (entry.description !== undefined) frontmatter.description = entry.description;
    if (entry.template !== undefined) frontmatter.template = entry.template;
    if (entry.hero !== undefined) frontmatter.hero = { tagline: entry.hero.tagline };
    // Only values Starlight's schema accepts: a bad one would fail the page (renderPageSafely).
    if (entry.editUrl !== undefined && /^https?:\/\//i.test(entry.editUrl) && URL.canParse(entry.editUrl)) frontmatter.editUrl = entry.editUrl;
    if (entry.lastUpdated !== undefined && !Number.isNaN(Date.parse(entry.lastUpdated))) frontmatter.lastUpdated = entry.lastUpdated;
    const spec: PageSpec = {
      slug: entry.slug,
      outFile: entry.slug === '' ? 'index.html' : `${entry.slug}/index.html`,
      entry,
      frontmatter,
      pagination: {},
      languages: languagesOf(entry),
      navKey: '',
    };
    const source = entry.source === undefined ? undefined : sources.get(entry.source);
    if (source) spec.searchFilter = `${FILTER_NAME[entry.lang] ?? FILTER_NAME.en!}:${source.title}`;
    if (source && entry.template !== 'splash') {
      const key = `${source.id}\u0000${entry.lang}`;
      const locale = localeOf(entry.lang, manifest);
      const versions = versionsOf(entry, source, locale);
      if (versions) spec.versions = versions.switcher;
      if (versions?.banner) frontmatter.banner = { content: versions.banner };
      let own = navs.get(key);
      if (!own) {
        const tree = sourceEntries(source, locale);
        const entries = [switcher(entry.lang, locale), ...tree];
        const order = flatten(tree);
        const at = new Map<string, number>();
        order.forEach((l, i) => at.has(l.href) || at.set(l.href, i));
        own = { nav: { id: hash(entries), entries }, order, at };
        navs.set(key, own);
      }
      spec.nav = own.nav;
      const here = own.at.get(slugToUrl(entry.slug)) ?? -1;
      if (here >= 0 && own.order[here - 1]) spec.pagination.prev = own.order[here - 1]!;
      if (here >= 0 && own.order[here + 1]) spec.pagination.next = own.order[here + 1]!;
    }
    spec.navKey = hash([frontmatter, spec.nav?.id ?? null, spec.pagination, spec.languages, spec.searchFilter ?? null, spec.versions ?? null]);
    return spec;
  });
}
