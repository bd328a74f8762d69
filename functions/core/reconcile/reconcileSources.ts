/**
 * Reconcile: sweep every GitHub source (sweepSources), queue ONE build for the sources whose branch
 * moved without a build (trigger `reconcile`, naming per source the commits it catches up), record
 * the freshness each process shows (freshnessFile), and notify a source lagging longer than
 * STALE_AFTER once, and again once when it is back in step. Sources a queued or running build
 * already covers are left to that build. Shared by the local schedule and FC's timer trigger.
 */
import type { Octokit } from '@octokit/rest';
import { loadSnapshot } from '../pipeline/snapshots.ts';
import type { BuildRecord, ReconciledSource, SourceConfig, Trigger } from '../types.ts';
import { fileFreshness, type Freshness, type FreshnessStore } from './freshnessFile.ts';
import { freshnessNotice } from './freshnessNotice.ts';
import type { ReportSummary } from '../notify/summarizeReport.ts';
import { sweepSources, type SweepResult } from './sweepSources.ts';
import { RequestMeter } from '../fetch/gitHubCall.ts';
import { sweepVersions } from '../versions/sweepVersions.ts';

export interface ReconcileDeps {
  sources: readonly SourceConfig[];
  dataDir: string;
  /** Where the freshness record is kept; default DATA_DIR/freshness.json. */
  freshness?: FreshnessStore;
  octokit: Octokit;
  /** The build queue (local) or FC's async invocations; `list` shows what is queued or running. */
  queue: { enqueue(trigger: Trigger): BuildRecord | Promise<BuildRecord>; list(limit?: number): BuildRecord[] | Promise<BuildRecord[]> };
  staleAfterMs: number;
  /** Sends a freshness notice through the notifiers (createBuildNotifier's `notice`). */
  notice?: (summary: ReportSummary) => Promise<unknown>;
  publicUrl: string;
  log?: (line: string) => void;
  now?: () => number;
}

export interface ReconcileResult {
  sweep: SweepResult;
  /** The build queued for the sources that moved, if any. */
  build?: BuildRecord;
  /** Moved sources left to a build already queued or running. */
  covered: string[];
}

/** Source ids a queued or running build will fetch anyway. */
function inFlight(builds: BuildRecord[], sources: readonly SourceConfig[]): Set<string> {
  const ids = new Set<string>();
  for (const b of builds) {
    if (b.state !== 'queued' && b.state !== 'running') continue;
    const r = b.request;
    const t = b.trigger;
    const manual = r?.manual ?? (t.kind === 'manual' ? { sources: t.sources } : undefined);
    const repos = new Set((r?.pushes ?? (t.kind === 'push' ? [t] : [])).map((p) => p.repo.toLowerCase()));
    for (const x of r?.reconciled ?? (t.kind === 'reconcile' ? t.sources : [])) ids.add(x.id);
    for (const s of sources) {
      if (manual && (!manual.sources?.length || manual.sources.includes(s.id))) ids.add(s.id);
      if (s.repo && repos.has(`${s.repo.owner}/${s.repo.name}`.toLowerCase())) ids.add(s.id);
    }
  }
  return ids;
}

export async function reconcileSources(deps: ReconcileDeps): Promise<ReconcileResult> {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => {});
  const sweep = await sweepSources(deps.sources, {
    octokit: deps.octokit,
    now,
    live: async (s) => {
      const snap = await loadSnapshot(deps.dataDir, s);
      return snap ? { sha: snap.sha, ref: snap.ref } : undefined;
    },
  });
  // Versioned sources: tags and branches added, moved or removed since their versions were listed.
  const meter = new RequestMeter();
  const versions = await sweepVersions(deps.sources, { octokit: deps.octokit, dataDir: deps.dataDir, meter, log });
  sweep.requests.total += meter.count.total;
  sweep.requests.counted += meter.count.counted;
  const busy = inFlight(await deps.queue.list(100), deps.sources);
  const moved = sweep.checked.filter((c) => c.moved && c.head);
  const covered = moved.filter((c) => busy.has(c.id)).map((c) => c.id);
  const caughtUp: ReconciledSource[] = moved
    .filter((c) => !busy.has(c.id))
    .map((c) => ({
      id: c.id,
      repo: c.repo,
      ref: c.ref,
      from: c.live,
      to: c.head!,
      ...(c.commits ? { commits: c.commits.slice(-250) } : {}),
      ...(c.totalCommits !== undefined ? { totalCommits: c.totalCommits } : {}),
    }));
  const baseOf = (id: string): string => id.split('/')[0]!;
  caughtUp.push(...versions.filter((v) => !busy.has(baseOf(v.id))));
  let build: BuildRecord | undefined;
  if (caughtUp.length) {
    build = await deps.queue.enqueue({ kind: 'reconcile', sources: caughtUp });
    log(`Reconcile: ${caughtUp.map((c) => `${c.id} ${c.from.slice(0, 7)} → ${c.to.slice(0, 7)}`).join(', ')} never delivered; build ${build.id} queued.`);
  }
  const failed = sweep.checked.filter((c) => c.error);
  for (const f of failed) log(`Reconcile: could not check ${f.id} (${f.repo}@${f.ref}): ${f.error}`);
  log(
    `Reconcile sweep: ${sweep.checked.length} source(s) checked, ${moved.length} behind, ${sweep.requests.total} request(s) (${sweep.requests.counted} counted).`,
  );

  const store = deps.freshness ?? fileFreshness(deps.dataDir);
  const freshness = await store.read();
  const changes = updateFreshness(freshness, sweep, deps.staleAfterMs, now());
  freshness.lastSweep = {
    at: sweep.at,
    requests: sweep.requests,
    checked: sweep.checked.length,
    moved: moved.map((c) => c.id),
    ...(build ? { build: build.id } : {}),
  };
  await store.write(freshness);
  if (deps.notice && (changes.stale.length || changes.recovered.length)) {
    await deps
      .notice(freshnessNotice(changes, freshness, { publicUrl: deps.publicUrl, staleAfterMs: deps.staleAfterMs, now: now() }))
      .catch((err: unknown) => log(`Freshness notice failed: ${(err as Error).message}`));
  }
  return { sweep, ...(build ? { build } : {}), covered };
}

/** Apply a sweep to the freshness record; returns the sources that just became stale or recovered. */
function updateFreshness(freshness: Freshness, sweep: SweepResult, staleAfterMs: number, now: number): { stale: string[]; recovered: string[] } {
  const stale: string[] = [];
  const recovered: string[] = [];
  for (const c of sweep.checked) {
    const old = freshness.sources[c.id];
    const head = c.head ?? old?.head;
    const behind = head !== undefined && head !== c.live;
    const entry = {
      repo: c.repo,
      ref: c.ref,
      live: c.live,
      checkedAt: sweep.at,
      ...(head ? { head } : {}),
      ...(c.error ? { error: c.error } : {}),
    } as Freshness['sources'][string];
    if (behind) entry.behindSince = old?.behindSince ?? sweep.at;
    const lagging = behind && staleAfterMs > 0 && now - Date.parse(entry.behindSince!) >= staleAfterMs;
    if (lagging) {
      entry.staleNotified = true;
      if (!old?.staleNotified) stale.push(c.id);
    } else if (old?.staleNotified && !behind) recovered.push(c.id);
    else if (old?.staleNotified) entry.staleNotified = true;
    freshness.sources[c.id] = entry;
  }
  return { stale, recovered };
}
