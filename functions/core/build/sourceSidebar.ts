import type { ManifestPage } from './siteManifest.ts';

/** A page or folder in a source's sidebar (slugs; labels come from the pages' titles). */
export type SidebarItem = { slug: string } | { label: string; collapsed: boolean; items: SidebarItem[] };

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

/** Categories named like this go after the others that share their order. */
const LAST = /^(其他|其它|更多|other|others|misc|more)/i;
/** `rank` 0: pages of the folder index's own category, right after the index. */
type Entry = { rank: number; order: number; last: boolean; key: string; item: SidebarItem };
const byOrder = (a: Entry, b: Entry): number => a.rank - b.rank || a.order - b.order || Number(a.last) - Number(b.last) || collator.compare(a.key, b.key);
const pageEntry = (p: ManifestPage, rank = 1): Entry => ({ rank, order: p.order ?? Number.MAX_VALUE, last: false, key: p.slug, item: { slug: p.slug } });

/** The one category every page of a folder names, if they all name the same one. */
function sharedCategory(pages: readonly ManifestPage[]): string | undefined {
  const first = pages[0]?.category;
  return first !== undefined && pages.every((p) => p.category === first) ? first : undefined;
}

/**
 * A folder's pages grouped by front matter `category` (in the Serverless Devs convention `position`
 * orders pages within their category): each category is a group placed at its lowest order. Pages of
 * the index page's own category come first, ungrouped; a folder whose pages all name one category is
 * not split.
 */
function pageEntries(pages: readonly ManifestPage[], indexCategory: string | undefined): Entry[] {
  const categories = new Map<string, ManifestPage[]>();
  for (const p of pages) {
    if (p.category && p.category !== indexCategory) (categories.get(p.category) ?? categories.set(p.category, []).get(p.category)!).push(p);
  }
  if (categories.size === 1 && sharedCategory(pages) !== undefined) return pages.map((p) => pageEntry(p));
  return [
    ...pages.filter((p) => !p.category || p.category === indexCategory).map((p) => pageEntry(p, p.category === undefined ? 1 : 0)),
    ...[...categories].map(
      ([label, members]): Entry => ({
        rank: 1,
        order: Math.min(...members.map((p) => p.order ?? Number.MAX_VALUE)),
        last: LAST.test(label),
        key: label,
        item: {
          label,
          collapsed: false,
          items: members
            .map((p) => pageEntry(p))
            .sort(byOrder)
            .map((e) => e.item),
        },
      }),
    ),
  ];
}

/** A folder's label: its index page's title, else the category all its pages share, else its name. */
const dirLabel = (dir: Dir): string => dir.index?.title ?? sharedCategory(dir.pages) ?? dir.slug.split('/').pop() ?? dir.slug;

function dirItems(dir: Dir): SidebarItem[] {
  const entries: Entry[] = [
    ...pageEntries(dir.pages, dir.index?.category),
    ...[...dir.dirs.values()].map(
      (d): Entry => ({ rank: 1, order: dirOrder(d), last: false, key: d.slug, item: { label: dirLabel(d), collapsed: false, items: dirItems(d) } }),
    ),
  ];
  entries.sort(byOrder);
  const items = entries.map((e) => e.item);
  return dir.index ? [{ slug: dir.index.slug }, ...items] : items;
}

/**
 * The sidebar items of the pages under `root` (a source id, or `en/<id>` for its English pages): the
 * index page first, then pages, categories and folders by order, then slug.
 */
export function sourceSidebar(root: string, pages: readonly ManifestPage[]): SidebarItem[] {
  const dirs = new Map<string, Dir>([[root, { slug: root, pages: [], dirs: new Map() }]]);
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
  const inside = pages.filter((p) => p.slug === root || p.slug.startsWith(`${root}/`));
  // Every folder above a page is a folder; a page whose slug is a folder is that folder's index.
  for (const page of inside) {
    const cut = page.slug.lastIndexOf('/');
    if (cut >= root.length) dirOf(page.slug.slice(0, cut));
  }
  for (const page of inside) {
    const dir = dirs.get(page.slug);
    if (dir) dir.index = page;
    else dirOf(page.slug.slice(0, page.slug.lastIndexOf('/'))).pages.push(page);
  }
  return dirItems(dirs.get(root)!);
}
