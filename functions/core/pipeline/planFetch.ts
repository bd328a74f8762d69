import type { BuildRecord, PushChanges, SourceConfig } from '../types.ts';
import { mergeRequest } from '../queue/mergeRequest.ts';

export interface FetchPlan {
  /** Sources to fetch fresh; the others are reused from their snapshot (fetched when they have none). */
  wanted: Set<string>;
  /** Ignore every cache and snapshot. */
  full: boolean;
  /** What the pushes carried by this build changed, per source id (usable lists only). */
  changes: Map<string, PushChanges>;
  /** Who pushed, per source id. */
  authors: Map<string, string[]>;
}

const repoOf = (s: SourceConfig) => (s.repo ? `${s.repo.owner}/${s.repo.name}`.toLowerCase() : undefined);

/**
 * Decide what a build must fetch from everything it was asked for (its own trigger and those of
 * the builds it superseded). Pushes fetch only the sources of their repository; a manual rebuild
 * fetches the sources it names (all when it names none), without trusting any change list.
 */
export function planFetch(build: BuildRecord, sources: readonly SourceConfig[]): FetchPlan {
  const request = build.request ?? mergeRequest(undefined, build.trigger);
  const plan: FetchPlan = { wanted: new Set(), full: request.manual?.full ?? false, changes: new Map(), authors: new Map() };
  for (const push of request.pushes) {
    for (const s of sources) {
      if (repoOf(s) !== push.repo.toLowerCase()) continue;
      plan.wanted.add(s.id);
      plan.authors.set(s.id, push.pushers);
      if (push.changes) plan.changes.set(s.id, push.changes);
    }
  }
  // Sources a reconcile sweep found behind: fetched like a push without lists (conditional lookup, compare).
  for (const r of request.reconciled ?? []) if (sources.some((s) => s.id === r.id)) plan.wanted.add(r.id);
  if (request.manual) {
    for (const s of sources) {
      if (request.manual.sources && !request.manual.sources.includes(s.id)) continue;
      plan.wanted.add(s.id);
      plan.changes.delete(s.id);
    }
  }
  return plan;
}
