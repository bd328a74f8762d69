/**
 * The gate where a page's HTML is final. The markdown renderer (Sätteri with Starlight's and Expressive
 * Code's plugins) copies whatever it takes for raw HTML into its output, and it parses markdown
 * differently from the transform step (functions/core/transform/), so nothing checked before rendering
 * can vouch for what comes out. Here the rendered body is parsed by a real HTML parser (parse5, as a
 * fragment) and sanitised as a tree (hast-util-sanitize, schema in bodySchema.ts), then serialised:
 *  - elements, attributes and URL schemes outside the schema are gone, tags are balanced by
 *    construction (a stray `</div>` cannot leave Starlight's content column, an unclosed tag cannot
 *    swallow its footer), comments are dropped, text is escaped;
 *  - `style` keeps only declarations that cannot position, overlay or load (safeStyle.ts);
 *  - author ids and names get GitHub's `user-content-` prefix so they cannot clobber globals
 *    (`## __svelte`, `<img name=getElementById>`); same-page and site-internal `#anchors`, and the
 *    table of contents, are prefixed with them so they still land;
 *  - Expressive Code's own stylesheet and module script (`/_astro/ec.*`) are kept, nothing else that loads;
 *  - images Astro's renderer marked for its asset pipeline get their `src` back.
 */
import type { Element, Nodes, Parents, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { sanitize } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import { isAllowedHtmlUrl, urlScheme } from '../transform/urlSafety.ts';
import { BODY_SCHEMA } from './bodySchema.ts';
import { restoreAstroImages } from './restoreAstroImages.ts';
import { safeStyle } from './safeStyle.ts';

export const ID_PREFIX = 'user-content-';

/** `x` → `user-content-x`; already prefixed ids (GFM footnotes) stay as they are. */
export const prefixId = (id: string): string => (id.startsWith(ID_PREFIX) ? id : ID_PREFIX + id);

export interface RenderedBody {
  html: string;
  headings: Array<{ depth: number; slug: string; text: string }>;
}

/** Expressive Code's assets, emitted with the first code block of a page. */
const EC_ASSET = /^\/_astro\/ec\.[\w-]+\.(css|js)$/;

/** Take out every `<script>` and `<link>`; returns Expressive Code's (external, same-site files) to put back. */
function takeAssets(parent: Parents, assets: Map<string, Element>): void {
  parent.children = parent.children.filter((child) => {
    if (child.type !== 'element') return true;
    const { tagName, properties } = child;
    if (tagName === 'script' || tagName === 'link') {
      const url = tagName === 'script' ? properties.src : properties.href;
      const kind = typeof url === 'string' ? EC_ASSET.exec(url)?.[1] : undefined;
      const relOk = tagName === 'link' ? String(properties.rel) === 'stylesheet' : properties.type === 'module' && child.children.length === 0;
      if (kind === (tagName === 'script' ? 'js' : 'css') && relOk && !assets.has(url as string)) {
        assets.set(
          url as string,
          tagName === 'script'
            ? { type: 'element', tagName: 'script', properties: { type: 'module', src: url as string }, children: [] }
            : { type: 'element', tagName: 'link', properties: { rel: ['stylesheet'], href: url as string }, children: [] },
        );
      }
      return false;
    }
    takeAssets(child, assets);
    return true;
  });
}

/** Is a URL attribute's (decoded) value allowed: relative, http(s), mailto for links, raster data: images. */
function allowedUrl(name: string, value: string, tagName: string): boolean {
  const urls = name === 'srcSet' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value];
  const image = tagName === 'img' || tagName === 'source';
  return urls.every((url) => isAllowedHtmlUrl(url, image) && (name === 'href' || urlScheme(url) !== 'mailto'));
}

/** A site-internal link's fragment, prefixed like the ids it points at. */
function prefixFragment(href: string): string {
  const hash = href.indexOf('#');
  if (hash === -1 || hash === href.length - 1 || urlScheme(href) !== undefined || href.startsWith('//')) return href;
  return href.slice(0, hash + 1) + prefixId(href.slice(hash + 1));
}

function finish(node: Nodes): void {
  if (node.type !== 'element' && node.type !== 'root') return;
  if (node.type === 'element') {
    const p = node.properties;
    for (const name of ['href', 'src', 'srcSet', 'poster', 'cite'] as const) {
      const value = p[name];
      if (value !== undefined && !allowedUrl(name, Array.isArray(value) ? value.join(',') : String(value), node.tagName)) delete p[name];
    }
    for (const key of ['id', 'name'] as const) {
      const value = p[key];
      if (typeof value === 'string' && value !== '') p[key] = prefixId(value);
      else delete p[key];
    }
    if (Array.isArray(p.ariaDescribedBy)) p.ariaDescribedBy = p.ariaDescribedBy.map((id) => prefixId(String(id)));
    if (typeof p.href === 'string') p.href = prefixFragment(p.href);
    if (typeof p.style === 'string') {
      const style = safeStyle(p.style);
      if (style === '') delete p.style;
      else p.style = style;
    }
    // A link opening a new tab must not hand it a handle on this page (window.opener).
    if (node.tagName === 'a' && p.target !== undefined) {
      const rel = new Set((Array.isArray(p.rel) ? p.rel.map(String) : []).filter((r) => r !== 'opener'));
      p.rel = [...rel.add('noopener').add('noreferrer')];
    }
  }
  for (const child of node.children) finish(child);
}

/** Sanitise a rendered page body (see the header); its headings' slugs get the ids' prefix. */
export function sanitizeBody(body: RenderedBody): RenderedBody {
  const tree = fromHtml(body.html, { fragment: true });
  restoreAstroImages(tree);
  const assets = new Map<string, Element>();
  takeAssets(tree, assets);
  const clean = sanitize(tree, BODY_SCHEMA) as Root;
  finish(clean);
  clean.children.unshift(...assets.values());
  return {
    html: toHtml(clean),
    headings: body.headings.map((h) => ({ ...h, slug: h.slug === '' ? h.slug : prefixId(h.slug) })),
  };
}
