/**
 * Roll the OSS site back (or forward) to a kept release: the same switch as a deploy, from the
 * content store (server-side copies; nothing is uploaded). Without a release named: the newest
 * release older than the current one.
 */
import { envCredentials } from '../../config/cloudCredentials.ts';
import type { OssTarget } from '../../config/deployTarget.ts';
import { createOssObjects, type OssObjects } from './createOssObjects.ts';
import { listReleaseIds, readManifest, readPointer } from './ossState.ts';
import { createCdnRefresher } from './refreshCdn.ts';
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

/** `npm run rollback` with DEPLOY_TARGET=oss: list the kept releases, or switch (credentials from the environment). */
export async function rollbackOssFromConfig(target: OssTarget, release: string | 'list' | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const credentials = envCredentials(env, 'the OSS rollback');
  const oss = createOssObjects(target, credentials);
  if (release === 'list') {
    const current = (await readPointer(oss))?.release;
    const ids = (await listReleaseIds(oss)).reverse();
    return ids.length ? ids.map((id) => `${id === current ? '*' : ' '} ${id}`) : [`No releases in ${oss.where}.`];
  }
  const refresh = target.cdnDomain ? createCdnRefresher({ domain: target.cdnDomain, credentials, ...(target.cdnEndpoint ? { endpoint: target.cdnEndpoint } : {}) }) : undefined;
  const result = await rollbackOss(oss, release, refresh ? { onChanged: async (paths) => void (await refresh(paths)) } : {});
  return [`${oss.where} now serves release ${result.release}${result.previous ? ` (was ${result.previous})` : ''}: ${result.changed.length} paths copied, ${result.removed.length} removed.`];
}
