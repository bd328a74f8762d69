import type { BuildRecord, Trigger } from '../types.ts';

export interface QueueOptions {
  /** Attempts in all: the first run plus up to 3 retries (Function Compute's async default). */
  maxAttempts?: number;
  /** Wait before retry n (the last value repeats). */
  retryDelaysMs?: number[];
  /** A job not finished this long after it was accepted is given up (FC's maximum event age). */
  maxEventAgeMs?: number;
  /**
   * A push waits this long before its build starts, so a burst of pushes becomes one build. Builds
   * queued while another waits are merged into one (the older ones end `superseded`).
   */
  coalesceWindowMs?: number;
  /** While pushes keep arriving, a waiting build starts at the latest this long after the first one (default 10 s). */
  maxCoalesceWaitMs?: number;
  now?: () => number;
}

export interface DeliveryInfo {
  guid: string;
  event: string;
  repo?: string;
  ref?: string;
}
export type DeliveryDecision = { trigger: Trigger } | { skip: string; trigger?: Trigger };
export type AcceptResult = { duplicate: true; outcome: string; buildId?: string } | { duplicate: false; build?: BuildRecord; skipped?: string };
