/**
 * The builder's lease (core/lease/Lease.ts) as private objects in the site's OSS bucket, one per
 * generation (`_docs-sync/leases/lease-<12 digits>.json`), so two builder instances without NAS never
 * build at once. Creating a generation is a PutObject with `x-oss-forbid-overwrite: true`: OSS refuses
 * it (FileAlreadyExists) when another taker created it first. Renewal and release replace the holder's
 * own generation. Older generations are removed behind the newest ones.
 */
import type { OssObjects } from '../core/deploy/oss/createOssObjects.ts';
import type { Lease, LeaseStore } from '../core/lease/Lease.ts';

const PREFIX = '_docs-sync/leases/';
const KEY = /^_docs-sync\/leases\/lease-(\d{12})\.json$/;
const HEADERS = { 'x-oss-object-acl': 'private', 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
/** Generations kept behind the newest. */
const KEEP = 3;

const keyOf = (generation: number) => `${PREFIX}lease-${String(generation).padStart(12, '0')}.json`;

export function createOssLeaseStore(oss: OssObjects): LeaseStore {
  const generations = async (): Promise<number[]> =>
    (await oss.list(PREFIX)).flatMap((k) => {
      const m = KEY.exec(k);
      return m ? [Number(m[1])] : [];
    });
  return {
    async latestLease() {
      const newest = (await generations()).sort((a, b) => a - b).at(-1);
      if (newest === undefined) return undefined;
      const data = await oss.get(keyOf(newest));
      try {
        if (data) return JSON.parse(data.toString('utf8')) as Lease;
      } catch {
        // An unreadable newest generation is damaged: it can be taken, as on disk.
      }
      return { generation: newest, holder: '(unreadable)', expiresAt: 0, acquiredAt: 0 };
    },
    async createLease(lease) {
      try {
        await oss.put(keyOf(lease.generation), Buffer.from(JSON.stringify(lease)), { ...HEADERS, 'x-oss-forbid-overwrite': 'true' });
      } catch (err) {
        if ((err as { code?: string }).code === 'FileAlreadyExists') return false;
        throw err;
      }
      const old = (await generations()).filter((g) => g < lease.generation - KEEP);
      if (old.length) await oss.deleteMany(old.map(keyOf));
      return true;
    },
    async saveLease(lease) {
      await oss.put(keyOf(lease.generation), Buffer.from(JSON.stringify(lease)), HEADERS);
    },
  };
}
