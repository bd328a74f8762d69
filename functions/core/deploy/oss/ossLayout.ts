/**
 * What the OSS target keeps in the bucket beside the site (under `_docs-sync/`, private ACL):
 *   _docs-sync/objects/<hash>         every file of every kept release, content-addressed: rollback
 *                                     and deploys copy from here server-side (CopyObject)
 *   _docs-sync/releases/<id>.json.gz  a release manifest (gzipped JSON): path → hash and size
 *   _docs-sync/current.json           which release the site shows ({"release": id, "activatedAt"})
 * The site's own keys are the built paths (index.html, guide/install/index.html, _astro/…).
 */
import type { SiteFile } from './siteFiles.ts';

export const PREFIX = '_docs-sync/';
export const objectKey = (hash: string): string => `${PREFIX}objects/${hash}`;
export const releaseKey = (id: string): string => `${PREFIX}releases/${id}.json.gz`;
export const releaseIdOf = (key: string): string | undefined => /^_docs-sync\/releases\/(.+)\.json\.gz$/.exec(key)?.[1];
export const RELEASES_PREFIX = `${PREFIX}releases/`;
export const CURRENT_KEY = `${PREFIX}current.json`;

export interface ReleaseManifest {
  release: string;
  createdAt: string;
  files: Record<string, { hash: string; size: number }>;
}

export interface CurrentPointer {
  release: string;
  activatedAt: string;
  /**
   * Set while the bucket is being switched to `release`: the releases whose content may still be
   * live, the last completely live one first (more than one after interrupted switches); cleared when done.
   */
  switchingFrom?: string[];
}

export function manifestOf(release: string, files: SiteFile[], now: Date): ReleaseManifest {
  const map: ReleaseManifest['files'] = {};
  for (const f of files) map[f.path] = { hash: f.hash, size: f.size };
  return { release, createdAt: now.toISOString(), files: map };
}
