import { slug as githubSlug } from 'github-slugger';
import { posix } from 'node:path';

const MARKDOWN = /\.(md|markdown)$/i;
const INDEX_NAMES = new Set(['readme', 'index']);

/**
 * The path of `file` (relative to the repo root) under the docs folder that contains it, or
 * undefined when no docs folder contains it. `.` is the repo root.
 */
export function docsFolderOf(file: string, paths: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const folder of paths) {
    const prefix = folder === '.' ? '' : `${folder.replace(/\/+$/, '')}/`;
    if (file.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : best === '' ? '.' : best.slice(0, -1);
}

/**
 * A page's URL slug: `<source id>/<path>`, where `<path>` is the file's path under its docs folder
 * (under `<folder>/` when the source lists several docs folders), without the `.md` extension, each
 * segment slugged the way Starlight (Astro's glob loader) does. A folder's `readme.md` or `index.md`
 * is that folder's page. Returns undefined for files outside every docs folder or not markdown.
 */
export function pageSlug(sourceId: string, paths: readonly string[], file: string): string | undefined {
  if (!MARKDOWN.test(file)) return undefined;
  const folder = docsFolderOf(file, paths);
  if (folder === undefined) return undefined;
  const inside = folder === '.' ? file : file.slice(folder.length + 1);
  const segments = inside.replace(MARKDOWN, '').split('/');
  if (paths.length > 1 && folder !== '.') segments.unshift(...folder.split('/'));
  const last = segments[segments.length - 1];
  if (last !== undefined && INDEX_NAMES.has(last.toLowerCase())) segments.pop();
  const slugged = segments.map((s) => githubSlug(s)).filter((s) => s !== '');
  return [sourceId, ...slugged].join('/');
}

/** The site URL of a slug: `/<slug>/`. */
export function slugToUrl(slug: string): string {
  return `/${slug.split('/').map(encodeURIComponent).join('/')}/`;
}

/** Resolve a relative link target against the file it appears in (both repo-root relative). */
export function resolveRelative(fromFile: string, target: string): string {
  return posix.normalize(posix.join(posix.dirname(fromFile), target));
}
