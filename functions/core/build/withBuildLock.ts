import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createFileLeaseStore } from '../lease/createFileLeaseStore.ts';
import type { Lease } from '../lease/Lease.ts';
import { withLease } from '../lease/holdLease.ts';

/** A holder that stops renewing (crashed, killed, frozen) is taken over after this long. */
const BUILD_LOCK_TTL_MS = 30_000;

/** This kernel's boot id: a pid only names the same process within one boot of one machine. */
function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return ''; // not Linux: no fast take-over, the lease's expiry still frees it
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Run `fn` holding the lease in `<dir>/lease`, so two processes never build into one cache folder
 * at once (they would replace each other's mirror). The holder renews the lease while it works; one
 * that stops (crash, kill -9, a frozen or vanished FC instance) is taken over when it expires. A pid
 * is trusted only to speed that up, and only when the holder ran on this machine in this boot: pids
 * repeat across machines and sandboxes. A live holder is waited for, saying so once through `log`.
 */
export async function withBuildLock<T>(
  dir: string,
  fn: () => Promise<T>,
  log: (line: string) => void = () => {},
  options: { ttlMs?: number } = {},
): Promise<T> {
  const host = { name: hostname(), boot: bootId(), pid: process.pid };
  const isGone = (lease: Lease): boolean => !!host.boot && lease.host?.boot === host.boot && lease.host.name === host.name && !alive(lease.host.pid);
  const onWait = (lease: Lease) => {
    const who = lease.host ? `process ${lease.host.pid} on ${lease.host.name}` : lease.holder;
    log(`[site] waiting for ${who}, which is building into ${dir} (its lease runs until ${new Date(lease.expiresAt).toISOString()} unless renewed)`);
  };
  const holder = `${host.name}:${host.pid}:${randomBytes(6).toString('hex')}`;
  return withLease(createFileLeaseStore(join(dir, 'lease')), { holder, ttlMs: options.ttlMs ?? BUILD_LOCK_TTL_MS, host, isGone, onWait }, () => fn());
}
