/**
 * The version switcher and the old-version banner of a versioned source's pages (sources file
 * `versions:`): each version links to the same page in that version, or to that version's index when it
 * has no such page; an old version's pages say so and link the same page in the latest version.
 * Plain links (a `<details>` menu in the sidebar, Starlight's banner): no script, so the site's CSP holds.
 */
import { escapeHtml } from '../http/escapeHtml.ts';
import { slugToUrl } from '../pageSlug.ts';
import type { ManifestSource, PageEntry, SiteManifest } from './siteManifest.ts';

export interface VersionSwitch {
  /** "Version" in the page's language. */
  label: string;
  items: Array<{ name: string; href: string; current: boolean; latest: boolean }>;
}

const LABEL: Record<string, string> = { 'zh-CN': '版本', en: 'Version' };

/** The old versions of a site: their pages are not in the default search, the sitemap or llms.txt. */
export const isOldVersion = (source: ManifestSource | undefined): boolean => source?.version?.latest === false;

/** Whether a page spec is a page of an old version (its switcher's current item is not the latest). */
export const inOldVersion = (spec: { versions?: VersionSwitch }): boolean => spec.versions?.items.some((i) => i.current && !i.latest) === true;

/** The banner of an old version's page, as Starlight's `banner.content` (HTML, every value escaped). */
function bannerOf(lang: string, name: string, title: string, latestHref: string): string {
  const v = escapeHtml(name);
  const link = `<a href="${escapeHtml(latestHref)}">${escapeHtml(title)}</a>`;
  return lang === 'zh-CN' ? `你正在阅读 ${v} 版本的文档。最新版本在这里：${link}` : `You are reading ${v}. The latest version is here: ${link}`;
}

/**
 * For each page of a versioned source: its switcher, and (old versions) its banner. `locale` is the page
 * language's URL prefix (undefined at `/`).
 */
export function versionLinks(
  manifest: SiteManifest,
): (entry: PageEntry, source: ManifestSource, locale: string | undefined) => { switcher: VersionSwitch; banner?: string } | undefined {
  const slugs = new Set(manifest.pages.map((p) => p.slug));
  const groups = new Map<string, ManifestSource[]>();
  for (const s of manifest.sources) if (s.version) (groups.get(s.version.base) ?? groups.set(s.version.base, []).get(s.version.base)!).push(s);
  return (entry, source, locale) => {
    const group = source.version && groups.get(source.version.base);
    if (!group || group.length < 2) return undefined;
    const rootOf = (s: ManifestSource): string => (locale ? `${locale}/${s.id}` : s.id);
    const rest = entry.slug.slice(rootOf(source).length);
    const hrefIn = (s: ManifestSource): string => {
      const same = `${rootOf(s)}${rest}`;
      if (slugs.has(same)) return slugToUrl(same);
      return slugToUrl(slugs.has(rootOf(s)) ? rootOf(s) : s.id);
    };
    const items = group.map((s) => ({ name: s.version!.name, href: hrefIn(s), current: s.id === source.id, latest: s.version!.latest }));
    const switcher: VersionSwitch = { label: LABEL[entry.lang] ?? LABEL.en!, items };
    const latest = items.find((i) => i.latest);
    return source.version!.latest || !latest ? { switcher } : { switcher, banner: bannerOf(entry.lang, source.version!.name, entry.title, latest.href) };
  };
}
