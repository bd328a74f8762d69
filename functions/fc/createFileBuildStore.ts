import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryRow } from '../core/queue/BuildQueue.ts';
import { createFileLeaseStore } from '../core/lease/createFileLeaseStore.ts';
import type { LeaseStore } from '../core/lease/Lease.ts';
import type { BuildRecord } from '../core/types.ts';

export const BUILD_ID = /^[A-Za-z0-9-]{1,64}$/;
const FILE = /^([A-Za-z0-9-]{1,64})\.json$/;

/**
 * Where the FC functions keep build records (NAS files here, OSS objects in createOssBuildStore.ts), and
 * the builder's lease (LeaseStore: conditional create of a numbered generation, see core/lease/Lease.ts),
 * so builds run one at a time. Asynchronous, so an object store can implement it.
 */
export interface FileBuildStore extends LeaseStore {
  /** Where the records are, for log lines (a folder, or oss://bucket/prefix). */
  dir: string;
  get(id: string): Promise<BuildRecord | undefined>;
  /** Newest first (build ids sort by creation time). */
  list(limit?: number): Promise<BuildRecord[]>;
  /** Builds waiting to start (state `queued`), oldest first: what the next build carries. */
  listQueued(): Promise<BuildRecord[]>;
  /** Webhook deliveries, derived from the builds they started (push) or skipped. */
  listDeliveries(limit?: number): Promise<DeliveryRow[]>;
  /** Write a record, replacing any previous version in one step (write aside, then rename). */
  save(build: BuildRecord): Promise<void>;
  /** Write a record only if none exists yet; false when one does. Never overwrites. */
  create(build: BuildRecord): Promise<boolean>;
  /** Keep the newest `keep` records, remove the rest. Returns how many were removed. */
  prune(keep: number): Promise<number>;
}

/** Webhook deliveries derived from build records (newest first): pushes started or skipped. */
export function deliveriesFromBuilds(builds: BuildRecord[], limit: number): DeliveryRow[] {
  const rows: DeliveryRow[] = [];
  for (const b of builds) {
    if (b.trigger.kind !== 'push' || rows.length >= limit) continue;
    const t = b.trigger;
    const row: DeliveryRow = {
      guid: t.delivery,
      event: 'push',
      receivedAt: b.createdAt,
      outcome: b.state === 'skipped' ? 'skipped' : 'queued',
      buildId: b.id,
      repo: t.repo,
      ref: t.ref,
    };
    if (b.reason) row.reason = b.reason;
    rows.push(row);
  }
  return rows;
}

/** Where both functions keep build records on the shared NAS. */
export const buildStoreDir = (dataDir: string): string => join(dataDir, 'fc-builds');

export function assertBuildId(id: string): void {
  if (!BUILD_ID.test(id)) throw new Error(`"${id}" is not a valid build id`);
}

/**
 * Build records as one small JSON file each, on the NAS file system both functions mount. Used
 * instead of SQLite on Function Compute: SQLite's WAL mode does not work across hosts over a
 * network file system, and here the builder (writer) and the HTTP function (reader) run on
 * different machines. Only the builder replaces records; the HTTP function only creates new ones.
 */
export function createFileBuildStore(dir: string): FileBuildStore {
  const path = (id: string) => join(dir, `${id}.json`);
  const read = (id: string): BuildRecord | undefined => {
    try {
      return JSON.parse(readFileSync(path(id), 'utf8')) as BuildRecord;
    } catch {
      return undefined; // missing, or being created right now
    }
  };
  const ids = (): string[] => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .flatMap((n) => FILE.exec(n)?.[1] ?? [])
      .sort()
      .reverse();
  };
  const list = (limit = 50): BuildRecord[] => {
    const out: BuildRecord[] = [];
    for (const id of ids()) {
      if (out.length >= limit) break;
      const record = read(id);
      if (record) out.push(record);
    }
    return out;
  };
  const leases = createFileLeaseStore(join(dir, 'leases'));
  return {
    dir,
    latestLease: () => leases.latestLease(),
    createLease: (lease) => leases.createLease(lease),
    saveLease: (lease) => leases.saveLease(lease),
    async get(id) {
      return BUILD_ID.test(id) ? read(id) : undefined;
    },
    list: async (limit) => list(limit),
    async listQueued() {
      // Ids sort by the second they were made in; within one second, by when they were queued.
      const queued = ids().flatMap((id) => {
        const record = read(id);
        return record?.state === 'queued' ? [record] : [];
      });
      return queued.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async listDeliveries(limit = 100) {
      return deliveriesFromBuilds(list(limit * 2), limit);
    },
    async save(build) {
      assertBuildId(build.id);
      mkdirSync(dir, { recursive: true });
      const temp = join(dir, `.${build.id}.${randomBytes(4).toString('hex')}.tmp`);
      writeFileSync(temp, JSON.stringify(build));
      renameSync(temp, path(build.id));
    },
    async create(build) {
      assertBuildId(build.id);
      mkdirSync(dir, { recursive: true });
      try {
        writeFileSync(path(build.id), JSON.stringify(build), { flag: 'wx' });
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      }
    },
    async prune(keep) {
      const doomed = ids().slice(Math.max(0, keep));
      for (const id of doomed) rmSync(path(id), { force: true });
      return doomed.length;
    },
  };
}
