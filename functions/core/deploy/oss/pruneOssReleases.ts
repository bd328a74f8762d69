/**
 * Keep the newest `keep` release manifests (and always the current one and one being switched
 * from); delete the others, then every content-store object no kept release refers to.
 */
import type { OssObjects } from './createOssObjects.ts';
import { objectKey, PREFIX, releaseKey } from './ossLayout.ts';
import { listReleaseIds, liveReleases, readManifest, readPointer } from './ossState.ts';

export async function pruneOssReleases(oss: OssObjects, keep: number): Promise<string[]> {
  const ids = await listReleaseIds(oss);
  const pointer = await readPointer(oss);
  const pinned = new Set(liveReleases(pointer));
  const kept = new Set([...ids.slice(-Math.max(1, keep)), ...pinned].filter((id) => ids.includes(id)));
  const doomed = ids.filter((id) => !kept.has(id));
  if (doomed.length === 0) return [];
  const referenced = new Set<string>();
  for (const id of kept) for (const f of Object.values((await readManifest(oss, id))?.files ?? {})) referenced.add(objectKey(f.hash));
  await oss.deleteMany(doomed.map(releaseKey));
  const objects = await oss.list(`${PREFIX}objects/`);
  await oss.deleteMany(objects.filter((k) => !referenced.has(k)));
  return doomed;
}
