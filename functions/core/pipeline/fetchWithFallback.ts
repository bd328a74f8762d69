import type { FetchedSource, PushChanges, SourceConfig, SourceOutcome } from '../types.ts';
import type { FetchPlan } from './planFetch.ts';
import { loadSnapshot, saveSnapshot } from './snapshots.ts';

export type FetchSourcesStep = (
  sources: SourceConfig[],
  options: { full: boolean; previous?: Map<string, FetchedSource>; changes?: Map<string, PushChanges>; signal?: AbortSignal },
) => Promise<{ fetched: FetchedSource[]; failures: Array<{ source: string; error: string }> }>;

const privacyOf = (f: FetchedSource): { private?: boolean } => (f.private !== undefined ? { private: f.private } : {});

export interface SourceState {
  fetched: FetchedSource;
  outcome: Omit<SourceOutcome, 'pages' | 'diagnostics'>;
}

/**
 * Fetch what the plan wants, reuse every other source's snapshot, and fall back to the last good
 * snapshot of a source that still fails after its retries (served `stale`). A source with no good
 * copy at all is left out (`failed`). Fresh copies become the new snapshots.
 */
export async function fetchWithFallback(
  sources: SourceConfig[],
  plan: FetchPlan,
  deps: { dataDir: string; fetchSources: FetchSourcesStep; signal?: AbortSignal; log: (line: string) => void },
): Promise<Map<string, SourceState>> {
  const snapshots = new Map<string, FetchedSource & { fetchedAt: string }>();
  for (const s of sources) {
    const snap = await loadSnapshot(deps.dataDir, s);
    if (snap) snapshots.set(s.id, snap);
  }
  const toFetch = sources.filter((s) => plan.full || plan.wanted.has(s.id) || !snapshots.has(s.id));
  const previous = new Map<string, FetchedSource>();
  if (!plan.full) for (const s of toFetch) if (snapshots.has(s.id)) previous.set(s.id, snapshots.get(s.id)!);
  const result = toFetch.length
    ? await deps.fetchSources(toFetch, { full: plan.full, previous, changes: plan.changes, ...(deps.signal ? { signal: deps.signal } : {}) })
    : { fetched: [], failures: [] };

  const states = new Map<string, SourceState>();
  for (const f of result.fetched) {
    // Privacy is learnt on a cold sync (GraphQL) and kept with the snapshot until GitHub says otherwise.
    const known = f.private ?? snapshots.get(f.source.id)?.private;
    if (known !== undefined) f.private = known;
    await saveSnapshot(deps.dataDir, f);
    const before = snapshots.get(f.source.id)?.sha;
    const outcome: SourceState['outcome'] = { id: f.source.id, state: 'built', sha: f.sha, fetched: true, ...privacyOf(f) };
    if (before && before !== f.sha) outcome.previousSha = before;
    const authors = plan.authors.get(f.source.id);
    if (authors?.length && before !== f.sha) outcome.authors = authors;
    states.set(f.source.id, { fetched: f, outcome });
  }
  for (const failure of result.failures) {
    const snap = snapshots.get(failure.source);
    if (snap) {
      deps.log(`source ${failure.source} failed (${failure.error}); serving its last good copy from ${snap.fetchedAt}`);
      states.set(failure.source, {
        fetched: snap,
        outcome: { id: failure.source, state: 'stale', sha: snap.sha, staleSince: snap.fetchedAt, error: failure.error, ...privacyOf(snap) },
      });
    } else {
      deps.log(`source ${failure.source} failed (${failure.error}) and has no good copy: left out of this build`);
      states.set(failure.source, {
        fetched: { source: sources.find((s) => s.id === failure.source)!, sha: '', ref: '', files: [] },
        outcome: { id: failure.source, state: 'failed', error: failure.error },
      });
    }
  }
  for (const s of sources) {
    if (states.has(s.id)) continue;
    const snap = snapshots.get(s.id);
    if (snap) states.set(s.id, { fetched: snap, outcome: { id: s.id, state: 'built', sha: snap.sha, fetched: false, ...privacyOf(snap) } });
  }
  return states;
}
