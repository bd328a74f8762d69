/**
 * The pipeline's deploy step for DEPLOY_TARGET=oss: publish the built folder to the bucket
 * (deployToOss), refresh changed URLs on CDN when CDN_DOMAIN is set, then remove the local copy
 * (like the local target, which moves it into its releases folder).
 */
import { rm } from 'node:fs/promises';
import type { OssTarget } from '../../config/deployTarget.ts';
import { createOssObjects, type CredentialsProvider } from './createOssObjects.ts';
import { deployToOss } from './deployToOss.ts';
import { createCdnRefresher } from './refreshCdn.ts';

export function createOssDeployStep(target: OssTarget, credentials: CredentialsProvider, log?: (line: string) => void) {
  const oss = createOssObjects(target, credentials);
  const refresh = target.cdnDomain
    ? createCdnRefresher({ domain: target.cdnDomain, credentials, ...(target.cdnEndpoint ? { endpoint: target.cdnEndpoint } : {}), ...(log ? { log } : {}) })
    : undefined;
  return async ({ builtDir, id }: { dataDir: string; builtDir: string; id: string }): Promise<{ release: string }> => {
    const result = await deployToOss({
      oss,
      builtDir,
      id,
      ...(refresh ? { onChanged: async (paths: string[]) => void (await refresh(paths)) } : {}),
      ...(log ? { log } : {}),
    });
    await rm(builtDir, { recursive: true, force: true });
    return { release: result.release };
  };
}
