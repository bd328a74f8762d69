/**
 * `GET /status` and the freshness table of `/_builds/`: per source the commit the site serves (from
 * the newest deployed build), the branch head when last checked (reconcile sweeps) and how long the
 * site has lagged behind it. Reads files only, so every process on the data folder can answer.
 */
import type { BuildRecord, SourceConfig } from '../types.ts';
import { fileFreshness, type FreshnessStore } from './freshnessFile.ts';

export interface SourceStatus {
  id: string;
  repo?: string;
  ref?: string;
  /** The commit the site serves, and the build that deployed it. */
  live?: string;
  liveBuild?: string;
  /** The branch head at the last check, and when that was. */
  head?: string;
  checkedAt?: string;
  /** Whether the head is ahead of the live commit, since when, and for how long (ms). */
  behind: boolean;
  behindSince?: string;
  lagMs: number;
  /** Lagging longer than STALE_AFTER. */
  stale: boolean;
  error?: string;
}

export interface StatusReport {
  now: string;
  reconcileEveryMs: number;
  staleAfterMs: number;
  lastSweep?: { at: string; requests: { total: number; counted: number }; checked: number; moved: string[]; build?: string };
  sources: SourceStatus[];
}

const DEPLOYED = new Set(['succeeded', 'degraded']);

export async function freshnessStatus(o: {
  sources: readonly SourceConfig[];
  dataDir: string;
  /** Where the sweeps' record is read; default DATA_DIR/freshness.json. */
  freshness?: FreshnessStore;
  builds: BuildRecord[];
  reconcileEveryMs: number;
  staleAfterMs: number;
  now?: number;
}): Promise<StatusReport> {
  const now = o.now ?? Date.now();
  const freshness = await (o.freshness ?? fileFreshness(o.dataDir)).read();
  const sources = o.sources.map((s): SourceStatus => {
    const f = freshness.sources[s.id];
    // A preview build's sources are a pull request's head, never what the live site shows.
    const deployed = o.builds.find(
      (b) => b.trigger.kind !== 'preview' && DEPLOYED.has(b.state) && b.sources.some((x) => x.id === s.id && x.sha && x.state !== 'failed'),
    );
    const live = deployed?.sources.find((x) => x.id === s.id)?.sha ?? f?.live;
    const behind = !!(f?.head && live && f.head !== live);
    const since = behind ? (f?.behindSince ?? f?.checkedAt) : undefined;
    const lagMs = since ? Math.max(0, now - Date.parse(since)) : 0;
    const out: SourceStatus = { id: s.id, behind, lagMs, stale: behind && o.staleAfterMs > 0 && lagMs >= o.staleAfterMs };
    if (s.repo) out.repo = `${s.repo.owner}/${s.repo.name}`;
    const ref = s.ref ?? f?.ref;
    if (ref) out.ref = ref;
    if (live) out.live = live;
    if (deployed) out.liveBuild = deployed.id;
    if (f?.head) out.head = f.head;
    if (f?.checkedAt) out.checkedAt = f.checkedAt;
    if (since) out.behindSince = since;
    if (f?.error) out.error = f.error;
    return out;
  });
  return {
    now: new Date(now).toISOString(),
    reconcileEveryMs: o.reconcileEveryMs,
    staleAfterMs: o.staleAfterMs,
    ...(freshness.lastSweep ? { lastSweep: freshness.lastSweep } : {}),
    sources,
  };
}
