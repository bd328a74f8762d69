/**
 * Make the bucket's site keys show a release: copy each path whose content differs from what is
 * live from the content store (server-side CopyObject, nothing re-uploaded) — hashed assets first,
 * then other files, then pages — and delete paths the release does not have, last. The pointer
 * says "switching" until the end, so an interrupted switch is completed by the next one.
 */
import { mapLimit } from '../../fetch/mapLimit.ts';
import type { OssObjects } from './createOssObjects.ts';
import { objectKey, type ReleaseManifest } from './ossLayout.ts';
import { liveFiles, liveReleases, readPointer, writePointer } from './ossState.ts';
import { cacheControlOf, contentTypeOf, tierOf } from './siteFiles.ts';

export interface SwitchResult {
  release: string;
  previous?: string;
  /** Site paths written (new or changed), in the order they were written. */
  changed: string[];
  /** Site paths deleted. */
  removed: string[];
}

export async function switchRelease(oss: OssObjects, manifest: ReleaseManifest, options: { concurrency: number; now: () => number }): Promise<SwitchResult> {
  const pointer = await readPointer(oss);
  const live = await liveFiles(oss, pointer);
  const changed = Object.entries(manifest.files)
    .filter(([path, f]) => live.get(path) !== f.hash)
    .map(([path]) => path);
  const removed = [...live.keys()].filter((path) => !(path in manifest.files));
  // What readers saw last in full: the release an interrupted switch came from, else the current one.
  const previous = pointer?.switchingFrom?.[0] ?? pointer?.release;
  const from = liveReleases(pointer)
    .filter((id) => id !== manifest.release)
    .sort((a, b) => (a === previous ? -1 : b === previous ? 1 : 0));
  const result: SwitchResult = { release: manifest.release, changed: [], removed, ...(previous && previous !== manifest.release ? { previous } : {}) };
  if (changed.length === 0 && removed.length === 0 && pointer?.release === manifest.release && !pointer.switchingFrom) return result;

  const at = () => new Date(options.now()).toISOString();
  await writePointer(oss, { release: manifest.release, activatedAt: at(), ...(from.length ? { switchingFrom: from } : {}) });
  for (const tier of [0, 1, 2] as const) {
    const paths = changed.filter((p) => tierOf(p) === tier).sort();
    await mapLimit(paths, options.concurrency, (path) =>
      oss.copy(path, objectKey(manifest.files[path]!.hash), { 'Content-Type': contentTypeOf(path), 'Cache-Control': cacheControlOf(path) }),
    );
    result.changed.push(...paths);
  }
  await oss.deleteMany(removed);
  await writePointer(oss, { release: manifest.release, activatedAt: at() });
  return result;
}
