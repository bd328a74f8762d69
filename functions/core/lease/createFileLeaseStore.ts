import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease, LeaseStore } from './Lease.ts';

const FILE = /^lease-(\d{12})\.json$/;
/** Generations kept behind the newest (older ones are removed when a new one is created). */
const KEEP = 3;

const name = (generation: number) => `lease-${String(generation).padStart(12, '0')}.json`;

/**
 * Leases as one small JSON file per generation in `dir` (local disk or NAS). Creating a generation
 * is a hard link of a fully written file, which fails when the name exists (atomic on local disks
 * and NFS, the NAS FC mounts), so a reader never sees a half-written lease.
 */
export function createFileLeaseStore(dir: string): LeaseStore {
  const generations = (): number[] => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names.flatMap((n) => (FILE.exec(n) ? [Number(FILE.exec(n)![1])] : [])).sort((a, b) => a - b);
  };
  const tempFor = (generation: number) => join(dir, `.${name(generation)}.${randomBytes(4).toString('hex')}.tmp`);
  const read = (generation: number): Lease | undefined => {
    try {
      return JSON.parse(readFileSync(join(dir, name(generation)), 'utf8')) as Lease;
    } catch {
      return undefined;
    }
  };
  return {
    latestLease() {
      const newest = generations().at(-1);
      if (newest === undefined) return undefined;
      // Files appear complete (link/rename), so an unreadable newest one is damaged: it can be taken.
      return read(newest) ?? { generation: newest, holder: '(unreadable)', expiresAt: 0, acquiredAt: 0 };
    },
    createLease(lease) {
      mkdirSync(dir, { recursive: true });
      const temp = tempFor(lease.generation);
      writeFileSync(temp, JSON.stringify(lease));
      try {
        linkSync(temp, join(dir, name(lease.generation))); // fails when it exists: the create is atomic, content included
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      } finally {
        rmSync(temp, { force: true });
      }
      for (const g of generations()) if (g < lease.generation - KEEP) rmSync(join(dir, name(g)), { force: true });
      return true;
    },
    saveLease(lease) {
      const temp = tempFor(lease.generation);
      writeFileSync(temp, JSON.stringify(lease));
      renameSync(temp, join(dir, name(lease.generation)));
    },
  };
}
