import { posix } from 'node:path';
import { resolveRelative, slugToUrl } from '../pageSlug.ts';
import type { DocsData } from './transformData.ts';
import { isScriptUrl, urlScheme } from './urlSafety.ts';

/** What to do with one link target found in a page. */
export type LinkResolution =
  /** Leave it: absolute URL, anchor, non-markdown file, unknown folder, site-root path. */
  | { kind: 'keep' }
  /** javascript:, vbscript:, data:text/html… */
  | { kind: 'unsafe' }
  /** A page of the source: use `url` instead. */
  | { kind: 'page'; url: string }
  /** A markdown file that is not a page of the source (`target` is the repo path it resolved to). */
  | { kind: 'broken'; target: string };

const MARKDOWN = /\.(md|markdown)$/i;
const INDEX_FILE = /^(readme|index)\.(md|markdown)$/i;
const folderIndexes = new WeakMap<ReadonlyMap<string, string>, Map<string, string>>();

/** Folder (repo-relative, `.` for the root) → slug of its readme/index page. Cached per slug map. */
function folderIndex(slugs: ReadonlyMap<string, string>): Map<string, string> {
  let index = folderIndexes.get(slugs);
  if (!index) {
    index = new Map();
    for (const [path, slug] of [...slugs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const dir = posix.dirname(path);
      if (INDEX_FILE.test(posix.basename(path)) && !index.has(dir)) index.set(dir, slug);
    }
    folderIndexes.set(slugs, index);
  }
  return index;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Resolve a link written in `docs.file` the way GitHub would (relative to the file; `/x.md` from the
 * repo root) and map it to the site URL of the page it names, keeping `?query` and `#anchor`.
 */
export function resolveDocLink(url: string, docs: DocsData): LinkResolution {
  const trimmed = url.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('?')) return { kind: 'keep' };
  if (isScriptUrl(trimmed)) return { kind: 'unsafe' };
  if (urlScheme(trimmed) !== undefined || trimmed.startsWith('//')) return { kind: 'keep' };

  const hashAt = trimmed.indexOf('#');
  const beforeHash = hashAt === -1 ? trimmed : trimmed.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  const pathPart = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const suffix = trimmed.slice(pathPart.length);
  const decoded = decodePath(pathPart);
  const rootRelative = decoded.startsWith('/');
  const target = rootRelative ? posix.normalize(decoded.replace(/^\/+/, '') || '.') : resolveRelative(docs.file, decoded);

  if (MARKDOWN.test(target)) {
    const slug = docs.slugs.get(target);
    return slug === undefined ? { kind: 'broken', target } : { kind: 'page', url: slugToUrl(slug) + suffix };
  }
  const folder = target.replace(/\/+$/, '') || '.';
  const slug = folderIndex(docs.slugs).get(folder) ?? docs.slugs.get(`${folder}.md`);
  return slug === undefined ? { kind: 'keep' } : { kind: 'page', url: slugToUrl(slug) + suffix };
}
