/**
 * What the server does for a URL a page left: a `301` to where it moved (the release's
 * `_redirects.json`, see functions/core/redirects/), or, for a page removed with no successor and any
 * other unknown URL under a component, a 404 body that offers the component's index and names the
 * page's title to search for. Plain HTML: the site's Content-Security-Policy allows no inline script.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RELEASE_REDIRECTS, type ReleaseRedirects } from '../redirects/redirectStore.ts';
import { escapeHtml } from './escapeHtml.ts';

const cache = new Map<string, { mtimeMs: number; table: ReleaseRedirects }>();

/** The release's table (read once per release file; a release without one has none). */
export async function releaseRedirects(root: string): Promise<ReleaseRedirects | undefined> {
  const file = join(root, RELEASE_REDIRECTS);
  const info = await stat(file).catch(() => undefined);
  if (!info) return undefined;
  const hit = cache.get(root);
  if (hit && hit.mtimeMs === info.mtimeMs) return hit.table;
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<ReleaseRedirects>;
    const table = { redirects: parsed.redirects ?? {}, gone: parsed.gone ?? {} };
    if (cache.size >= 16) cache.delete(cache.keys().next().value!);
    cache.set(root, { mtimeMs: info.mtimeMs, table });
    return table;
  } catch {
    return undefined;
  }
}

/** The table's key for a request path's segments: `/a/b/` (a trailing index.html is the same page). */
export function redirectKey(segments: readonly string[]): string {
  const parts = segments.at(-1) === 'index.html' ? segments.slice(0, -1) : segments;
  return `/${parts.join('/')}/`;
}

/** Where a request for `segments` moved to (a same-site path, query string kept), if it did. */
export function redirectLocation(table: ReleaseRedirects | undefined, segments: readonly string[], search: string): string | undefined {
  const to = table?.redirects[redirectKey(segments)];
  return typeof to === 'string' && to.startsWith('/') && !to.startsWith('//') ? encodeURI(to) + search : undefined;
}

/** The note a 404 page gets for a URL under a component: its index, and the removed page's title to search for. */
export async function notFoundNote(root: string, table: ReleaseRedirects | undefined, segments: readonly string[]): Promise<string | undefined> {
  // Only docs-sync's own releases (which carry a table) are known to keep a component per top folder.
  if (!table) return undefined;
  const english = segments[0] === 'en';
  const prefix = segments.slice(0, english ? 2 : 1);
  const gone = table?.gone[redirectKey(segments)];
  if (segments.length <= prefix.length && !gone) return undefined;
  const indexOf = async (c: string) => ((await stat(join(root, ...c.split('/'), 'index.html')).catch(() => undefined))?.isFile() ? c : undefined);
  // A page of a version no longer published (`<source>/<version>`) offers its source's index.
  const component = (gone && (await indexOf(`${english ? 'en/' : ''}${gone.component}`))) || (await indexOf(prefix.join('/')));
  if (component === undefined) return undefined;
  const href = escapeHtml(encodeURI(`/${component}/`));
  const title = gone ? escapeHtml(gone.title) : undefined;
  const lines = english
    ? [
        title ? `The page “${title}” was removed.` : 'There is no page at this address.',
        `<a href="${href}">Go to the component’s index</a>`,
        title ? `or search the docs for “${title}”.` : 'or search the docs.',
      ]
    : [title ? `页面“${title}”已被移除。` : '此地址没有页面。', `<a href="${href}">前往该组件的首页</a>`, title ? `，或搜索“${title}”。` : '，或搜索文档。'];
  return `<aside class="docs-sync-not-found" data-component="${href}"${title ? ` data-title="${title}"` : ''}><p>${lines[0]}</p><p>${lines[1]} ${lines[2]}</p></aside>`;
}

/** The 404 page with the note at the end of its main content (or of its body). */
export function withNote(html: string, note: string): string {
  const at = html.lastIndexOf('</main>') !== -1 ? html.lastIndexOf('</main>') : html.lastIndexOf('</body>');
  return at === -1 ? html + note : html.slice(0, at) + note + html.slice(at);
}
