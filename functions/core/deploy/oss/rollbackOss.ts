/**
 * Roll the OSS site back (or forward) to a kept release: the same switch as a deploy, from the
 * content store (server-side copies; nothing is uploaded). Without a release named: the newest
 * release older than the current one.
 */
import type { OssObjects } from './createOssObjects.ts';
import { listReleaseIds, readManifest, readPointer } from './ossState.ts';
import { type SwitchResult, switchRelease } from './switchRelease.ts';

export async function rollbackOss(oss: OssObjects, release?: string, options: { concurrency?: number; now?: () => number; onChanged?: (paths: string[]) => Promise<void> } = {}): Promise<SwitchResult> {
  const ids = await listReleaseIds(oss);
  const current = (await readPointer(oss))?.release;
  const target = release ?? [...ids].reverse().find((id) => current === undefined || id < current);
  const manifest = target ? await readManifest(oss, target) : undefined;
  if (!target || !manifest) {
    throw new Error(`${target ? `Release "${target}" is not kept in ${oss.where}` : `No release older than the current one (${current ?? 'none'}) is kept in ${oss.where}`}; known releases: ${ids.join(', ') || 'none'}.`);
  }
  const result = await switchRelease(oss, manifest, { concurrency: options.concurrency ?? 16, now: options.now ?? Date.now });
  if (options.onChanged && (result.changed.length || result.removed.length)) await options.onChanged([...result.changed, ...result.removed]);
  return result;
}
