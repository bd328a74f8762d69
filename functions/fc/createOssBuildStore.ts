/** FileBuildStore on OSS: build records and the delivery ledger as private objects in the site's bucket. */
import { mapLimit } from '../core/fetch/mapLimit.ts';
import type { OssObjects } from '../core/deploy/oss/createOssObjects.ts';
import type { BuildRecord } from '../core/types.ts';
import { assertBuildId, BUILD_ID, deliveriesFromBuilds, type FileBuildStore } from './createFileBuildStore.ts';
import { createOssLeaseStore } from './createOssLeaseStore.ts';

/** Where build records live in the bucket: private objects beside the release bookkeeping. */
export const BUILDS_PREFIX = '_docs-sync/builds/';
const KEY = /^_docs-sync\/builds\/([A-Za-z0-9-]{1,64})\.json$/;
/** How many of the newest records are looked at for builds still waiting (queued builds are recent: FC gives up on a job after a day). */
const QUEUED_WINDOW = 100;
const HEADERS = { 'x-oss-object-acl': 'private', 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

/**
 * Build records as one private JSON object each in the site's OSS bucket, so both FC functions read
 * and write them without NAS (DEPLOY_TARGET=oss). A PutObject replaces an object whole (readers
 * never see half a record); `create` uses `x-oss-forbid-overwrite`, so a record is never replaced
 * by the HTTP function. The delivery ledger is derived from the records, as on NAS; the builder's
 * lease lives beside them (createOssLeaseStore).
 */
export function createOssBuildStore(oss: OssObjects): FileBuildStore {
  const key = (id: string) => `${BUILDS_PREFIX}${id}.json`;
  const read = async (id: string): Promise<BuildRecord | undefined> => {
    const data = await oss.get(key(id));
    try {
      return data ? (JSON.parse(data.toString('utf8')) as BuildRecord) : undefined;
    } catch {
      return undefined;
    }
  };
  /** Record ids, newest first (build ids sort by creation time). */
  const ids = async (): Promise<string[]> =>
    (await oss.list(BUILDS_PREFIX))
      .flatMap((k) => KEY.exec(k)?.[1] ?? [])
      .sort()
      .reverse();
  const list = async (limit = 50): Promise<BuildRecord[]> => {
    const records = await mapLimit((await ids()).slice(0, limit), 16, read);
    return records.filter((r): r is BuildRecord => r !== undefined);
  };
  const leases = createOssLeaseStore(oss);
  return {
    dir: `${oss.where}/${BUILDS_PREFIX}`,
    latestLease: () => leases.latestLease(),
    createLease: (lease) => leases.createLease(lease),
    saveLease: (lease) => leases.saveLease(lease),
    get: async (id) => (BUILD_ID.test(id) ? read(id) : undefined),
    list,
    async listQueued() {
      const queued = (await list(QUEUED_WINDOW)).filter((r) => r.state === 'queued');
      return queued.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    listDeliveries: async (limit = 100) => deliveriesFromBuilds(await list(limit * 2), limit),
    async save(build) {
      assertBuildId(build.id);
      await oss.put(key(build.id), Buffer.from(JSON.stringify(build)), HEADERS);
    },
    async create(build) {
      assertBuildId(build.id);
      try {
        await oss.put(key(build.id), Buffer.from(JSON.stringify(build)), { ...HEADERS, 'x-oss-forbid-overwrite': 'true' });
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === 'FileAlreadyExists') return false;
        throw err;
      }
    },
    async prune(keep) {
      const doomed = (await ids()).slice(Math.max(0, keep));
      await oss.deleteMany(doomed.map(key));
      return doomed.length;
    },
  };
}
