/**
 * Holding a lease (Lease.ts): wait while another holder's lease is live, take it by creating the
 * next generation once it expired (or its holder is known to be gone), renew it every third of its
 * lifetime while working, and release it at the end. Used for the site build lock on one machine
 * (withBuildLock) and for "one build at a time" across Function Compute instances (runBuildJob).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Lease, LeaseStore } from './Lease.ts';

export interface LeaseOptions {
  /** A random id of this process or instance. */
  holder: string;
  /** A lease not renewed for this long can be taken over. It is renewed every ttlMs / 3. */
  ttlMs: number;
  now?: () => number;
  /** How often a waiter looks again (default 250 ms, never past the holder's expiry). */
  pollMs?: number;
  /** Stop waiting after this long (LeaseWaitTimeout); default: wait as long as it takes. */
  waitMs?: number;
  host?: Lease['host'];
  /** True when the holder of `lease` is known to be gone before it expires (see withBuildLock). */
  isGone?: (lease: Lease) => boolean;
  /** Told once when another holder has the lease. */
  onWait?: (lease: Lease) => void;
}

export interface HeldLease {
  lease: Lease;
  /** Aborted when the lease was lost (not renewed in time and taken over): stop working. */
  lost: AbortSignal;
  release(): Promise<void>;
}

export class LeaseWaitTimeout extends Error {
  readonly holder: Lease;
  constructor(holder: Lease, waitedMs: number) {
    super(`waited ${Math.round(waitedMs / 1000)} s for the build lease; ${holder.holder} still holds it (until ${new Date(holder.expiresAt).toISOString()})`);
    this.name = 'LeaseWaitTimeout';
    this.holder = holder;
  }
}

/** Take the lease, waiting while another live holder has it; renews it until released. */
export async function acquireLease(store: LeaseStore, options: LeaseOptions): Promise<HeldLease> {
  const now = options.now ?? Date.now;
  const started = now();
  let told = false;
  for (;;) {
    const latest = await store.latestLease();
    const t = now();
    if (!latest || latest.expiresAt <= t || options.isGone?.(latest)) {
      const lease: Lease = {
        generation: (latest?.generation ?? 0) + 1,
        holder: options.holder,
        expiresAt: t + options.ttlMs,
        acquiredAt: t,
        ...(options.host ? { host: options.host } : {}),
      };
      if (await store.createLease(lease)) return keep(store, lease, options, now);
      continue; // another taker created that generation first: look again
    }
    if (!told) options.onWait?.(latest);
    told = true;
    const waited = t - started;
    if (options.waitMs !== undefined && waited >= options.waitMs) throw new LeaseWaitTimeout(latest, waited);
    const left = options.waitMs === undefined ? Number.POSITIVE_INFINITY : options.waitMs - waited;
    await sleep(Math.max(1, Math.min(options.pollMs ?? 250, latest.expiresAt - t + 1, left)));
  }
}

function keep(store: LeaseStore, lease: Lease, options: LeaseOptions, now: () => number): HeldLease {
  const lost = new AbortController();
  let current = lease;
  const stillMine = (latest: Lease | undefined) => latest?.generation === current.generation && latest.holder === current.holder;
  const renew = async () => {
    try {
      if (!stillMine(await store.latestLease())) throw new Error('taken over');
      const next = { ...current, expiresAt: now() + options.ttlMs };
      await store.saveLease(next);
      current = next;
    } catch (err) {
      // A store hiccup is retried at the next beat; the lease is lost once it expired or was taken.
      if ((err as Error).message === 'taken over' || now() >= current.expiresAt) {
        clearInterval(timer);
        lost.abort(new Error(`lost the build lease (${(err as Error).message}): another builder may be running; this attempt stops`));
      }
    }
  };
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(
    () => {
      beating = beating.then(renew);
    },
    Math.max(10, Math.floor(options.ttlMs / 3)),
  );
  timer.unref();
  return {
    get lease() {
      return current;
    },
    lost: lost.signal,
    async release() {
      clearInterval(timer);
      await beating;
      if (lost.signal.aborted) return;
      if (stillMine(await store.latestLease())) await store.saveLease({ ...current, expiresAt: 0 });
    },
  };
}

/** Run `fn` holding the lease (renewed meanwhile), then release it, also when `fn` fails. */
export async function withLease<T>(store: LeaseStore, options: LeaseOptions, fn: (lost: AbortSignal) => Promise<T>): Promise<T> {
  const held = await acquireLease(store, options);
  try {
    return await fn(held.lost);
  } finally {
    await held.release();
  }
}
