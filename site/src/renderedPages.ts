/**
 * Read side of the page files written by docs-sync's site builder (functions/core/build/pageInputs.ts):
 *   <DOCS_SYNC_RENDER_DIR>/pages.json           every page's slug ("" is the home page)
 *   <DOCS_SYNC_RENDER_DIR>/p/<hash>.json        one page (hash: sha256 of its slug, 32 hex digits): front
 *                                               matter, headings, sidebar id, previous/next, languages, body HTML
 *   <DOCS_SYNC_RENDER_DIR>/nav/<id>.json        a sidebar shared by a component's pages, named by its content
 * Read when a page is rendered, not when the site is bundled, so one bundle renders any content.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StarlightRouteData } from '@astrojs/starlight/route-data';

type SidebarEntry = StarlightRouteData['sidebar'][number];
type SidebarLink = Extract<SidebarEntry, { type: 'link' }>;

export interface RenderedPage {
  frontmatter: Record<string, unknown> & { title: string; lastUpdated?: string | Date };
  headings: Array<{ depth: number; slug: string; text: string }>;
  nav?: string;
  pagination: { prev?: SidebarLink; next?: SidebarLink };
  /** The locales (keys of Starlight's `locales`) the page exists in, with their URLs, itself included. */
  languages?: Array<{ locale: string; label: string; lang: string; href: string }>;
  /** Pagefind filter `<name>:<component>` of a component's pages (search narrowed to one component). */
  searchFilter?: string;
  /** The version switcher of a versioned component's page: each version's link to this page (or its index). */
  versions?: { label: string; items: Array<{ name: string; href: string; current: boolean; latest: boolean }> };
  html: string;
}

function renderDir(): string {
  const dir = process.env.DOCS_SYNC_RENDER_DIR;
  if (!dir)
    throw new Error(
      "DOCS_SYNC_RENDER_DIR is not set: pages are rendered by docs-sync's site builder (functions/core/build/createSiteBuilder.ts), which sets it.",
    );
  return dir;
}

export function pagePaths(): Array<{ params: { slug: string | undefined } }> {
  const slugs = JSON.parse(readFileSync(join(renderDir(), 'pages.json'), 'utf8')) as string[];
  return slugs.map((slug) => ({ params: { slug: slug === '' ? undefined : slug } }));
}

export function readPage(slug: string | undefined): RenderedPage {
  const name = createHash('sha256')
    .update(slug ?? '')
    .digest('hex')
    .slice(0, 32);
  const page = JSON.parse(readFileSync(join(renderDir(), 'p', `${name}.json`), 'utf8')) as RenderedPage;
  const { lastUpdated } = page.frontmatter;
  if (typeof lastUpdated === 'string') page.frontmatter.lastUpdated = new Date(lastUpdated);
  return page;
}

/** Sidebar files never change (a new sidebar gets a new id), so each is read once. */
const navs = new Map<string, SidebarEntry[]>();
export function readNav(id: string): SidebarEntry[] {
  let nav = navs.get(id);
  if (!nav) {
    nav = JSON.parse(readFileSync(join(renderDir(), 'nav', `${id}.json`), 'utf8')) as SidebarEntry[];
    navs.set(id, nav);
  }
  return nav;
}
