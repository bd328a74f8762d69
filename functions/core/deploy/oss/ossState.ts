/**
 * Reading and writing the OSS target's bookkeeping objects (see ossLayout.ts): release manifests
 * (gzipped: a 2,000-page site's manifest is ~100 KB instead of ~600 KB), and the current pointer.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { OssObjects } from './createOssObjects.ts';
import { CURRENT_KEY, type CurrentPointer, releaseIdOf, releaseKey, RELEASES_PREFIX, type ReleaseManifest } from './ossLayout.ts';

const PRIVATE = { 'x-oss-object-acl': 'private' };

export async function readManifest(oss: OssObjects, id: string): Promise<ReleaseManifest | undefined> {
  const data = await oss.get(releaseKey(id));
  return data ? (JSON.parse(gunzipSync(data).toString('utf8')) as ReleaseManifest) : undefined;
}

/** Store a new release manifest; never replaces one (release ids are unique). */
export async function createManifest(oss: OssObjects, manifest: ReleaseManifest): Promise<void> {
  await oss.put(releaseKey(manifest.release), gzipSync(JSON.stringify(manifest)), {
    ...PRIVATE,
    'Content-Type': 'application/gzip',
    'x-oss-forbid-overwrite': 'true',
  });
}

export async function readPointer(oss: OssObjects): Promise<CurrentPointer | undefined> {
  const data = await oss.get(CURRENT_KEY);
  return data ? (JSON.parse(data.toString('utf8')) as CurrentPointer) : undefined;
}

export async function writePointer(oss: OssObjects, pointer: CurrentPointer): Promise<void> {
  await oss.put(CURRENT_KEY, Buffer.from(JSON.stringify(pointer)), { ...PRIVATE, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
}

/** The releases whose content may be live: the current one and any an interrupted switch came from. */
export const liveReleases = (pointer: CurrentPointer | undefined): string[] =>
  pointer ? [...new Set([pointer.release, ...(pointer.switchingFrom ?? [])])] : [];

/** Kept release ids, oldest first (build ids sort by creation time). */
export async function listReleaseIds(oss: OssObjects): Promise<string[]> {
  return (await oss.list(RELEASES_PREFIX)).flatMap((k) => releaseIdOf(k) ?? []).sort();
}

/**
 * What the bucket's site keys hold now, path → hash. After an interrupted switch (pointer still
 * `switchingFrom`) any path where those releases differ (or that not all have) may hold any of their
 * versions or nothing: it gets the hash "?" so the next switch writes (or deletes) it again.
 */
export async function liveFiles(oss: OssObjects, pointer: CurrentPointer | undefined): Promise<Map<string, string>> {
  const live = new Map<string, string>();
  if (!pointer) return live;
  const to = (await readManifest(oss, pointer.release))?.files ?? {};
  if (!pointer.switchingFrom) {
    for (const [path, f] of Object.entries(to)) live.set(path, f.hash);
    return live;
  }
  const all = [to, ...(await Promise.all(pointer.switchingFrom.map(async (id) => (await readManifest(oss, id))?.files ?? {})))];
  for (const path of new Set(all.flatMap((files) => Object.keys(files)))) {
    const hash = to[path]?.hash;
    live.set(path, hash !== undefined && all.every((files) => files[path]?.hash === hash) ? hash : '?');
  }
  return live;
}
