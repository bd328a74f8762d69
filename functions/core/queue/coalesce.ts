import type { BuildRecord, Trigger } from '../types.ts';
import { combineRequests, mergeRequest } from './mergeRequest.ts';

/**
 * The coalescing rules, shared by the local queue (BuildQueue) and the builder function on
 * Function Compute (claimCarrier): a push's build starts after `quietMs` without a newer push, at
 * most `maxWaitMs` after the first push it carries; a manual rebuild starts at once, carrying
 * whatever waits. A build that carries others merges what they asked for (older first).
 */
export interface CoalesceRules {
  quietMs: number;
  maxWaitMs: number;
}

export const COALESCE_RULES: CoalesceRules = { quietMs: 2000, maxWaitMs: 10_000 };

/**
 * Which waiting builds a new one may carry: live builds (push, manual, reconcile) carry each other;
 * a preview carries only the waiting previews of the same pull request (the newest trigger wins, so a
 * close carries the opens before it), and never a live build, nor a live build a preview.
 */
export function coalesceGroup(trigger: Trigger): string {
  return trigger.kind === 'preview' ? `preview:${trigger.pr.repo.toLowerCase()}#${trigger.pr.number}` : 'live';
}

/** How many ids of carried builds a carrier lists (the count is exact). */
const CARRIED_IDS = 100;

/**
 * When a build queued at `at` may start. `waiting`: the builds it carries — the earliest time any
 * of them was due, and when the first of them was queued.
 */
export function coalescedStart(kind: Trigger['kind'], at: number, waiting: { earliest: number; since: number } | undefined, rules: CoalesceRules): number {
  const own = at + (kind === 'push' ? rules.quietMs : 0);
  if (!waiting) return own;
  return kind === 'manual' ? at : Math.min(Math.max(waiting.earliest, own), waiting.since + rules.maxWaitMs);
}

/** When a build was queued (or the first build it carries was). */
const queuedSince = (b: BuildRecord): number => b.queuedSince ?? Date.parse(b.createdAt);

/**
 * What `carrierId` asks for once it carries every other build in `builds` (all waiting, oldest
 * first, the carrier among them): the merged request, the carried count and latest ids, and when
 * the first of them was queued.
 */
export function foldRequests(
  builds: readonly BuildRecord[],
  carrierId: string,
): { request: NonNullable<BuildRecord['request']>; carried?: NonNullable<BuildRecord['carried']>; since: number } {
  let request: BuildRecord['request'];
  let count = 0;
  let ids: string[] = [];
  let since = Number.POSITIVE_INFINITY;
  for (const b of builds) {
    const asked = b.request ?? mergeRequest(undefined, b.trigger);
    request = request ? combineRequests(request, asked) : asked;
    count += (b.carried?.count ?? 0) + (b.id === carrierId ? 0 : 1);
    ids = [...ids, ...(b.carried?.ids ?? []), ...(b.id === carrierId ? [] : [b.id])];
    since = Math.min(since, queuedSince(b));
  }
  return { request: request ?? { pushes: [] }, ...(count ? { carried: { count, ids: ids.slice(-CARRIED_IDS) } } : {}), since };
}

/** When the builds in `builds` (oldest first) may start as one: the rules replayed as each arrived. */
export function replayStart(builds: readonly BuildRecord[], rules: CoalesceRules): number {
  let due: number | undefined;
  let since = Number.POSITIVE_INFINITY;
  for (const b of builds) {
    const at = Date.parse(b.createdAt);
    since = Math.min(since, queuedSince(b));
    due = coalescedStart(b.trigger.kind, at, due === undefined ? undefined : { earliest: due, since }, rules);
  }
  return due ?? 0;
}
