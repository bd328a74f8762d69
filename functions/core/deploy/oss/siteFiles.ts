/**
 * The files of a built site as the OSS target uploads them: content hash, Content-Type, and the
 * upload tier that orders a deploy so every page a reader opens is complete — hashed assets first
 * (immutable: `_astro/`, Pagefind's fragments, indexes, filters and meta), then the other
 * non-HTML files (pagefind-entry.json, sitemap, favicon…), then HTML pages.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { contentType } from '../../http/serveStatic.ts';

export type Tier = 0 | 1 | 2;

export interface SiteFile {
  /** Path in the site and object key, "/"-separated, e.g. "guide/install/index.html". */
  path: string;
  /** SHA-256 of the content, first 128 bits in hex (content address of the file). */
  hash: string;
  size: number;
  tier: Tier;
}

/** The same Content-Type the local server sends. */
export const contentTypeOf = contentType;

/**
 * Files whose name changes whenever their content does: safe to cache for a year. Pagefind's
 * (per-component shards too): fragment/, index/, filter/ and pagefind.<lang>_<hash>.pf_meta; not
 * pagefind-entry.json, pagefind.js or wasm.<lang>.pagefind, whose names stay.
 */
const HASHED = /^(?:_astro\/|pagefind\/(?:shard\/[^/]+\/)?(?:(?:fragment|index|filter)\/|pagefind\.[^/]+_[0-9a-f]+\.pf_meta$))/;

export function tierOf(path: string): Tier {
  if (HASHED.test(path)) return 0;
  return path.endsWith('.html') ? 2 : 1;
}

/** Hashed assets: cached for a year, never revalidated; everything else is revalidated every time. */
export const cacheControlOf = (path: string): string => (tierOf(path) === 0 ? 'public, max-age=31536000, immutable' : 'no-cache');

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 32);

/** Every file under `dir`, hashed (symlinks and special files are not part of a built site). */
export async function listSiteFiles(dir: string): Promise<SiteFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const out: SiteFile[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    const path = relative(dir, full).split(sep).join('/');
    const data = await readFile(full);
    out.push({ path, hash: sha256(data), size: data.length, tier: tierOf(path) });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}
