/**
 * Roll the OSS site back (or forward) to a kept release: the same switch as a deploy, from the
 * content store (server-side copies; nothing is uploaded). Without a release named: the newest
 * release older than the current one.
 */
import { envCredentials } from '../../config/cloudCredentials.ts';
import type { OssTarget } from '../../config/deployTarget.ts';
import { createOssObjects, type CredentialsProvider, type OssObjects } from './createOssObjects.ts';
import { listReleaseIds, readManifest, readPointer } from './ossState.ts';
import { createRollbackHandler } from '../../rebuild/createRollbackHandler.ts';
import { createCdnRefresher } from './refreshCdn.ts';
import { type SwitchResult, switchRelease } from './switchRelease.ts';

export async function rollbackOss(
  oss: OssObjects,
  release?: string,
  options: { concurrency?: number; now?: () => number; onChanged?: (paths: string[]) => Promise<void> } = {},
): Promise<SwitchResult> {
  const ids = await listReleaseIds(oss);
  const current = (await readPointer(oss))?.release;
  const target = release ?? [...ids].reverse().find((id) => current === undefined || id < current);
  const manifest = target ? await readManifest(oss, target) : undefined;
  if (!target || !manifest) {
    throw new Error(
      `${target ? `Release "${target}" is not kept in ${oss.where}` : `No release older than the current one (${current ?? 'none'}) is kept in ${oss.where}`}; known releases: ${ids.join(', ') || 'none'}.`,
    );
  }
  const result = await switchRelease(oss, manifest, { concurrency: options.concurrency ?? 16, now: options.now ?? Date.now });
  if (options.onChanged && (result.changed.length || result.removed.length)) await options.onChanged([...result.changed, ...result.removed]);
  return result;
}

export interface OssReleases {
  /** Kept releases, newest first, as GET /releases shows them. */
  list(): Promise<Array<{ release: string; activatedAt: Date; current: boolean }>>;
  /** Switch to a kept release (default: the one before the current), then refresh CDN if configured. */
  rollback(release?: string): Promise<SwitchResult>;
  where: string;
}

/** Releases and rollback of the OSS target, for POST /rollback, GET /releases and `npm run rollback`. */
export function createOssReleases(target: OssTarget, credentials: CredentialsProvider): OssReleases {
  const oss = createOssObjects(target, credentials);
  const refresh = target.cdnDomain
    ? createCdnRefresher({ domain: target.cdnDomain, credentials, ...(target.cdnEndpoint ? { endpoint: target.cdnEndpoint } : {}) })
    : undefined;
  return {
    where: oss.where,
    async list() {
      const pointer = await readPointer(oss);
      const ids = (await listReleaseIds(oss)).reverse();
      const manifests = await Promise.all(ids.map((id) => readManifest(oss, id)));
      return ids.map((release, i) => ({
        release,
        activatedAt: new Date(release === pointer?.release ? pointer.activatedAt : (manifests[i]?.createdAt ?? 0)),
        current: release === pointer?.release,
      }));
    },
    rollback: (release) => rollbackOss(oss, release, refresh ? { onChanged: async (paths) => void (await refresh(paths)) } : {}),
  };
}

/** POST /rollback and GET /releases acting on the bucket (the local server and the HTTP function). */
export function ossRollbackRoutes(target: OssTarget, token: string | undefined, credentials: CredentialsProvider, log: (line: string) => void) {
  const releases = createOssReleases(target, credentials);
  return { rollback: createRollbackHandler({ token, rollback: releases.rollback, log }), releases: releases.list };
}

/** `npm run rollback` with DEPLOY_TARGET=oss: list the kept releases, or switch (credentials from the environment). */
export async function rollbackOssFromConfig(target: OssTarget, release: string | 'list' | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const releases = createOssReleases(target, envCredentials(env, 'the OSS rollback'));
  if (release === 'list') {
    const list = await releases.list();
    return list.length ? list.map((r) => `${r.current ? '*' : ' '} ${r.release}`) : [`No releases in ${releases.where}.`];
  }
  const result = await releases.rollback(release);
  return [
    `${releases.where} now serves release ${result.release}${result.previous ? ` (was ${result.previous})` : ''}: ${result.changed.length} paths copied, ${result.removed.length} removed.`,
  ];
}
