/** Picks the build store of the FC functions from the configuration (OSS with DEPLOY_TARGET=oss, else NAS). */
import type { Config } from '../core/config/loadConfig.ts';
import { createOssObjects, type CredentialsProvider } from '../core/deploy/oss/createOssObjects.ts';
import { buildStoreDir, createFileBuildStore, type FileBuildStore } from './createFileBuildStore.ts';
import { createOssBuildStore } from './createOssBuildStore.ts';

/** Where both FC functions keep build records: the OSS bucket with DEPLOY_TARGET=oss (no NAS needed), else the NAS data dir. */
export function buildStoreFor(config: Config, credentials: CredentialsProvider): FileBuildStore {
  return config.deploy.kind === 'oss' ? createOssBuildStore(createOssObjects(config.deploy, credentials)) : createFileBuildStore(buildStoreDir(config.dataDir));
}
