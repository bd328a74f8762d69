import type { BuildRecord, PushChanges, SourceConfig } from '../types.ts';
import { mergeRequest } from '../queue/mergeRequest.ts';
import { versionRef } from '../versions/expandVersions.ts';

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
 * Whether a push to `ref` is for source `s`: an old version only takes pushes to its own branch or tag;
 * any other source takes the repository's branch pushes, except those of an old version beside it.
 */
function pushIsFor(s: SourceConfig, ref: string, sources: readonly SourceConfig[]): boolean {
  const own = versionRef(s);
  if (own) return own === ref;
  if (!ref.startsWith('refs/heads/')) return false;
  return !sources.some((o) => o.version && !o.version.latest && o.version.base === s.id && versionRef(o) === ref);
}

/**
 * Decide what a build must fetch from everything it was asked for (its own trigger and those of
 * the builds it superseded). Pushes fetch only the sources of their repository and ref (an old
 * version's branch or tag rebuilds that version only); a manual rebuild fetches the sources it names
 * (all when it names none, old tags excepted), without trusting any change list.
 */
export function planFetch(build: BuildRecord, sources: readonly SourceConfig[]): FetchPlan {
  const request = build.request ?? mergeRequest(undefined, build.trigger);
  const plan: FetchPlan = { wanted: new Set(), full: request.manual?.full ?? false, changes: new Map(), authors: new Map() };
  for (const push of request.pushes) {
    for (const s of sources) {
      if (repoOf(s) !== push.repo.toLowerCase() || !pushIsFor(s, push.ref, sources)) continue;
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
      // Tags never move (a moved tag arrives as a push): a rebuild keeps their snapshots unless it is full.
      if (s.version?.kind === 'tag' && !request.manual.full && !request.manual.sources) continue;
      plan.wanted.add(s.id);
      plan.changes.delete(s.id);
    }
  }
  return plan;
}
