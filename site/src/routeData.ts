/**
 * Starlight route middleware: gives each docs page the sidebar and previous/next links the site builder
 * computed for it (its component's tree after the component switcher; see
 * functions/core/build/pageSpecs.ts), marking the current page. Passed as route data rather than as
 * StarlightPage's `sidebar` prop, which would be validated entry by entry on every page.
 */
import { defineRouteMiddleware, type StarlightRouteData } from '@astrojs/starlight/route-data';
import { readNav, type RenderedPage } from './renderedPages.ts';

type SidebarEntry = StarlightRouteData['sidebar'][number];

/** What src/pages/[...slug].astro leaves in `Astro.locals` for this middleware. */
export const PAGE = 'docsSyncPage';

function withCurrent(entries: SidebarEntry[], here: string): SidebarEntry[] {
  return entries.map((entry) =>
    entry.type === 'link'
      ? { ...entry, badge: undefined, isCurrent: decodeURIComponent(entry.href) === here }
      : { ...entry, badge: undefined, entries: withCurrent(entry.entries, here) },
  );
}

/**
 * `<link rel="alternate" hreflang>` for the languages the page exists in (Starlight links every locale's
 * version of the path, which is a 404 when the page has no translation), x-default being the root
 * locale's. Starlight writes them only when the site's URL is set, and so does this.
 */
function withAlternates(head: StarlightRouteData['head'], page: RenderedPage, site: URL | undefined): StarlightRouteData['head'] {
  const kept = head.filter((tag) => !(tag.tag === 'link' && tag.attrs?.rel === 'alternate' && 'hreflang' in (tag.attrs ?? {})));
  if (!site || !page.languages) return kept;
  const alternates = page.languages.map((l) => ({ lang: l.lang, href: new URL(l.href, site).href, root: l.locale === 'root' }));
  const fallback = alternates.find((a) => a.root);
  return [
    ...kept,
    ...alternates.map((a) => ({ tag: 'link' as const, attrs: { rel: 'alternate', hreflang: a.lang, href: a.href }, content: '' })),
    ...(fallback ? [{ tag: 'link' as const, attrs: { rel: 'alternate', hreflang: 'x-default', href: fallback.href }, content: '' }] : []),
  ];
}

export const onRequest = defineRouteMiddleware((context) => {
  const page = (context.locals as Record<string, unknown>)[PAGE] as RenderedPage | undefined;
  if (!page) return;
  const route = context.locals.starlightRoute;
  route.head = withAlternates(route.head, page, context.site);
  const here = decodeURIComponent(context.url.pathname);
  route.sidebar = page.nav ? withCurrent(readNav(page.nav), here) : [];
  const link = (l: RenderedPage['pagination']['prev']) => (l ? { ...l, badge: undefined, isCurrent: false } : undefined);
  route.pagination = { prev: link(page.pagination.prev), next: link(page.pagination.next) };
});
