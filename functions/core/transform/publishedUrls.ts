import { slug as githubSlug } from 'github-slugger';

/** Helpers for URLs of published pages (this site's, or a source's former site's). */

const hostOf = (u: URL): string => u.host.toLowerCase().replace(/^www\./, '');

/** Path segments of a published URL's tail, as slug segments: `.html`/`.md` and a last readme/index dropped. */
export function slugSegments(tail: string): string[] {
  const segments = tail
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  const last = segments.length - 1;
  if (last >= 0) segments[last] = segments[last]!.replace(/\.(html?|md|markdown)$/i, '');
  if (/^(readme|index)$/i.test(segments[last] ?? '')) segments.pop();
  return segments.map((s) => githubSlug(s)).filter((s) => s !== '');
}

/** The tail of `url` under `base` (http/https and `www.` ignored), and whether `/en/` came before it. */
export function under(url: URL, base: URL): { tail: string; en: boolean } | undefined {
  if (hostOf(url) !== hostOf(base) || !/^https?:$/.test(url.protocol)) return undefined;
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  if (path.startsWith(prefix)) return { tail: path.slice(prefix.length), en: false };
  if (path.startsWith(`/en${prefix}`)) return { tail: path.slice(prefix.length + 3), en: true };
  return undefined;
}
