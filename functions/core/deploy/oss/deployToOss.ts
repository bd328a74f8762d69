/**
 * Publish a finished build to an OSS bucket (DEPLOY_TARGET=oss): upload into the content store only
 * files whose content the bucket does not have yet, record the release manifest, switch the site
 * keys to it (switchRelease: assets, then pages, deletions last), make sure static website hosting
 * is on (index.html per folder, 404.html), prune old releases, and refresh the changed URLs on CDN.
 * A rebuild that changes nothing uploads nothing and keeps the current release.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimit } from '../../fetch/mapLimit.ts';
import type { OssObjects } from './createOssObjects.ts';
import { manifestOf, objectKey } from './ossLayout.ts';
import { createManifest, listReleaseIds, liveFiles, readManifest, readPointer } from './ossState.ts';
import { pruneOssReleases } from './pruneOssReleases.ts';
import { listSiteFiles } from './siteFiles.ts';
import { type SwitchResult, switchRelease } from './switchRelease.ts';

export interface OssDeployOptions {
  oss: OssObjects;
  builtDir: string;
  id: string;
  /** Releases to keep (content and manifests), the current one included. Default 5. */
  keep?: number;
  /** Requests in flight at once. Default 16. */
  concurrency?: number;
  /** Told the site URLs (paths) that changed or were removed, e.g. to refresh them on CDN. */
  onChanged?: (paths: string[]) => Promise<void>;
  now?: () => number;
  log?: (line: string) => void;
}

export interface OssDeployResult extends SwitchResult {
  /** Files uploaded into the content store, and their bytes. */
  uploaded: { files: number; bytes: number };
}

export const WEBSITE = { index: 'index.html', error: '404.html' } as const;

export async function deployToOss(o: OssDeployOptions): Promise<OssDeployResult> {
  const now = o.now ?? Date.now;
  const concurrency = o.concurrency ?? 16;
  if (!(await stat(join(o.builtDir, 'index.html')).catch(() => undefined)))
    throw new Error(`Cannot deploy release "${o.id}" to ${o.oss.where}: ${o.builtDir} has no index.html, so it is not a finished build.`);
  const files = await listSiteFiles(o.builtDir);
  const pointer = await readPointer(o.oss);
  const live = await liveFiles(o.oss, pointer);
  const unchanged = !pointer?.switchingFrom && files.length === live.size && files.every((f) => live.get(f.path) === f.hash);
  if (pointer && unchanged) {
    o.log?.(`${o.oss.where}: nothing changed since release ${pointer.release}; nothing uploaded`);
    return { release: pointer.release, changed: [], removed: [], uploaded: { files: 0, bytes: 0 } };
  }

  // The content store holds every file of every kept release (a manifest is written only after its
  // content): only content it lacks is uploaded — a revert to an earlier text uploads nothing.
  const stored = new Set<string>();
  const manifests = await mapLimit(await listReleaseIds(o.oss), 4, (id) => readManifest(o.oss, id));
  for (const m of manifests) for (const f of Object.values(m?.files ?? {})) stored.add(f.hash);
  const seen = new Set<string>();
  const fresh = files.filter((f) => !stored.has(f.hash) && !seen.has(f.hash) && seen.add(f.hash));
  await mapLimit(fresh, concurrency, async (f) =>
    o.oss.put(objectKey(f.hash), await readFile(join(o.builtDir, f.path)), { 'x-oss-object-acl': 'private', 'Content-Type': 'application/octet-stream' }),
  );
  const uploaded = { files: fresh.length, bytes: fresh.reduce((n, f) => n + f.size, 0) };

  const manifest = manifestOf(o.id, files, new Date(now()));
  await createManifest(o.oss, manifest);
  const website = await o.oss.getWebsite().catch(() => undefined);
  if (website?.index !== WEBSITE.index || !website.supportSubDir || website.error !== WEBSITE.error) await o.oss.putWebsite(WEBSITE);
  const switched = await switchRelease(o.oss, manifest, { concurrency, now });
  o.log?.(
    `${o.oss.where}: release ${o.id}: ${uploaded.files} files (${uploaded.bytes} bytes) uploaded, ${switched.changed.length} paths written, ${switched.removed.length} removed`,
  );
  await pruneOssReleases(o.oss, o.keep ?? 5).catch((err: Error) =>
    o.log?.(`${o.oss.where}: pruning old releases failed (retried next deploy): ${err.message}`),
  );
  if (o.onChanged && (switched.changed.length || switched.removed.length)) {
    await o
      .onChanged([...switched.changed, ...switched.removed])
      .catch((err: Error) => o.log?.(`CDN refresh failed (the site is deployed; cached copies expire on their own): ${err.message}`));
  }
  return { ...switched, uploaded };
}
