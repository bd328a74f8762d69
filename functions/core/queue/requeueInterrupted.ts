import type { BuildRecord } from '../types.ts';

/** Interrupted attempts (process stopped mid-build) that are not counted against maxAttempts. */
export const MAX_FREE_INTERRUPTIONS = 3;

/**
 * A build left `running` by a crash or restart, queued again (at-least-once). The interrupted attempt
 * is given back (a restart is not the build's fault) for the first MAX_FREE_INTERRUPTIONS times; a
 * build that keeps taking the process down then uses up its attempts.
 */
export function requeueInterrupted(record: BuildRecord): BuildRecord {
  const interruptions = (record.interruptions ?? 0) + 1;
  const attempts = interruptions <= MAX_FREE_INTERRUPTIONS ? Math.max(0, record.attempts - 1) : record.attempts;
  return { ...record, state: 'queued', interruptions, attempts };
}
