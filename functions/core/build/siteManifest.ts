import type { Page, SourceConfig } from '../types.ts';

/** Site-wide settings given to writeContent. */
export interface SiteMeta {
  /** Site title (header, browser tab, landing page). Default "docs-sync". */
  title?: string;
  /** Meta description, also the landing page's intro. */
  description?: string;
  /** Public base URL, e.g. https://docs.example.com (canonical links and sitemap). */
  url?: string;
  /** Language of the content and the Starlight UI, e.g. "en" or "zh-CN" (Pagefind uses it). Default "en". */
  lang?: string;
}

export interface ManifestPage {
  slug: string;
  title: string;
  order?: number;
  /** Written by docs-sync itself (a source's index when it has no readme). */
  generated?: true;
}

export interface ManifestSource {
  id: string;
  title: string;
  description?: string;
  /** `owner/name` for GitHub sources. */
  repo?: string;
  pages: ManifestPage[];
}

/** A Starlight 0.42 sidebar item: a page (label from its front matter) or a group. */
export type SidebarItem = { slug: string } | { label: string; collapsed: boolean; items: SidebarItem[] };

/** `site.json`: everything astro.config.mjs needs besides the markdown itself. */
export interface SiteManifest {
  title: string;
  description?: string;
  lang?: string;
  url?: string;
  sources: ManifestSource[];
  /** One collapsed group per source (Starlight opens the group holding the current page); folders inside are open. */
  sidebar: SidebarItem[];
}

/** `Page.file` of pages docs-sync writes itself. */
export const GENERATED = '(generated)';

const collator = new Intl.Collator('en');

interface Dir {
  slug: string;
  index?: ManifestPage;
  pages: ManifestPage[];
  dirs: Map<string, Dir>;
}

/** Lowest sidebar order found in a folder (pages without one sort last), as Starlight does. */
function dirOrder(dir: Dir): number {
  const own = [dir.index, ...dir.pages].map((p) => p?.order ?? Number.MAX_VALUE);
  return Math.min(...own, ...[...dir.dirs.values()].map(dirOrder));
}

function dirItems(dir: Dir): SidebarItem[] {
  const entries: Array<{ order: number; key: string; item: SidebarItem }> = [
    ...dir.pages.map((p) => ({ order: p.order ?? Number.MAX_VALUE, key: p.slug, item: { slug: p.slug } })),
    ...[...dir.dirs.values()].map((d) => ({
      order: dirOrder(d),
      key: d.slug,
      item: { label: d.index?.title ?? d.slug.split('/').pop() ?? d.slug, collapsed: false, items: dirItems(d) },
    })),
  ];
  entries.sort((a, b) => (a.order !== b.order ? a.order - b.order : collator.compare(a.key, b.key)));
  const items = entries.map((e) => e.item);
  return dir.index ? [{ slug: dir.index.slug }, ...items] : items;
}

/** The sidebar items of one source: its index page first, then pages and folders by order, then slug. */
export function sourceSidebar(id: string, pages: readonly ManifestPage[]): SidebarItem[] {
  const dirs = new Map<string, Dir>([[id, { slug: id, pages: [], dirs: new Map() }]]);
  const dirOf = (slug: string): Dir => {
    let dir = dirs.get(slug);
    if (!dir) {
      const cut = slug.lastIndexOf('/');
      dir = { slug, pages: [], dirs: new Map() };
      dirOf(slug.slice(0, cut)).dirs.set(slug.slice(cut + 1), dir);
      dirs.set(slug, dir);
    }
    return dir;
  };
  const inSource = pages.filter((p) => p.slug === id || p.slug.startsWith(`${id}/`));
  // Every folder above a page is a folder; a page whose slug is a folder is that folder's index.
  for (const page of inSource) {
    const cut = page.slug.lastIndexOf('/');
    if (cut >= id.length) dirOf(page.slug.slice(0, cut));
  }
  for (const page of inSource) {
    const dir = dirs.get(page.slug);
    if (dir) dir.index = page;
    else dirOf(page.slug.slice(0, page.slug.lastIndexOf('/'))).pages.push(page);
  }
  return dirItems(dirs.get(id)!);
}

/** Build the manifest from the pages that will be written (source index pages included). */
export function siteManifest(pages: readonly Page[], sources: readonly SourceConfig[], meta: SiteMeta = {}): SiteManifest {
  const manifestSources = sources.map((source): ManifestSource => {
    const own = pages
      .filter((p) => p.source === source.id)
      .map((p): ManifestPage => {
        const page: ManifestPage = { slug: p.slug, title: p.title };
        if (p.order !== undefined) page.order = p.order;
        if (p.file === GENERATED) page.generated = true;
        return page;
      });
    const out: ManifestSource = { id: source.id, title: source.title, pages: own };
    if (source.description !== undefined) out.description = source.description;
    if (source.repo) out.repo = `${source.repo.owner}/${source.repo.name}`;
    return out;
  });
  const manifest: SiteManifest = {
    title: meta.title ?? 'docs-sync',
    sources: manifestSources,
    sidebar: manifestSources.map((s) => ({ label: s.title, collapsed: true, items: sourceSidebar(s.id, s.pages) })),
  };
  if (meta.description !== undefined) manifest.description = meta.description;
  if (meta.lang !== undefined) manifest.lang = meta.lang;
  if (meta.url !== undefined) manifest.url = meta.url;
  return manifest;
}
