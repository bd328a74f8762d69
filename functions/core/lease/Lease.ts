/**
 * A lease: "one build at a time" across processes and machines without trusting process ids (they
 * repeat in every Function Compute sandbox). Leases are numbered by generation; the newest one is
 * the lease. Taking an expired (or released) lease means creating the next generation, which only
 * one taker can do (create-if-absent), so two builders never hold it at once. Only its holder
 * rewrites a generation (renewing its expiry, or releasing it with expiresAt 0).
 */
export interface Lease {
  generation: number;
  /** Random id of the holding process or instance (never a bare pid). */
  holder: string;
  /** Epoch ms; renewed by the holder while it works. 0 = released. */
  expiresAt: number;
  acquiredAt: number;
  /** Where the holder runs, for a faster take-over on the same machine (see withBuildLock). */
  host?: { name: string; boot: string; pid: number };
}

type MaybePromise<T> = T | Promise<T>;

/** Where leases live: a folder (createFileLeaseStore), the FC build store, an OSS bucket. */
export interface LeaseStore {
  /** The lease with the highest generation, or undefined when none was ever taken. */
  latestLease(): MaybePromise<Lease | undefined>;
  /** Create `lease.generation` unless it exists (conditional create); false when it does. */
  createLease(lease: Lease): MaybePromise<boolean>;
  /** Replace the holder's own generation (renewal, release). */
  saveLease(lease: Lease): MaybePromise<void>;
}
