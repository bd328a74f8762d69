/**
 * The reconcile sweeps' freshness record as a private object in the site's bucket (DEPLOY_TARGET=oss):
 * on FC the builder's timer writes it and the HTTP function's GET /status reads it, and each has its
 * own /tmp. One PutObject replaces the object whole, so a reader never sees half a record.
 */
import type { Config } from '../core/config/loadConfig.ts';
import { createOssObjects, type CredentialsProvider, type OssObjects } from '../core/deploy/oss/createOssObjects.ts';
import { fileFreshness, freshnessOf, type FreshnessStore } from '../core/reconcile/freshnessFile.ts';

export const FRESHNESS_KEY = '_docs-sync/freshness.json';
const HEADERS = { 'x-oss-object-acl': 'private', 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

export function createOssFreshnessStore(oss: OssObjects): FreshnessStore {
  return {
    async read() {
      const data = await oss.get(FRESHNESS_KEY);
      try {
        return freshnessOf(data ? JSON.parse(data.toString('utf8')) : undefined);
      } catch {
        return { sources: {} };
      }
    },
    write: async (data) => oss.put(FRESHNESS_KEY, Buffer.from(JSON.stringify(data)), HEADERS),
  };
}

/** Where both FC functions keep the freshness record: the bucket with DEPLOY_TARGET=oss, else DATA_DIR (NAS). */
export const freshnessStoreFor = (config: Config, credentials: CredentialsProvider): FreshnessStore =>
  config.deploy.kind === 'oss' ? createOssFreshnessStore(createOssObjects(config.deploy, credentials)) : fileFreshness(config.dataDir);
