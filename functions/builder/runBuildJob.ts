import { runAttempt } from '../core/pipeline/runAttempt.ts';
import { type BuildSteps, runBuild } from '../core/pipeline/runBuild.ts';
import { type BuildRecord, FINAL_STATES, type SourceConfig } from '../core/types.ts';
import type { BuildJob } from '../fc/createFcDeliveryQueue.ts';
import type { FileBuildStore } from '../fc/createFileBuildStore.ts';

export interface BuilderContext {
  dataDir: string;
  sources: SourceConfig[];
  steps: BuildSteps;
  store: FileBuildStore;
  /** Tell people about a build in its final state. Never throws. */
  notify: (build: BuildRecord) => Promise<void>;
  log: (line: string) => void;
  /** Stop an attempt after this long, before FC's own function timeout cuts it off unreported. */
  attemptTimeoutMs: number;
  now: () => number;
}

export interface JobOutcome {
  /** True when FC should count this invocation as failed (and retry it). */
  failed: boolean;
  body: Record<string, unknown>;
}

/** How many build records to keep (NAS or OSS). */
const KEEP_RECORDS = 1000;

/**
 * One attempt of a build, as FC's async invocation delivers it (first run or a retry). The record
 * is saved before, during and after, so GET /builds follows it. A failed attempt leaves the build
 * `queued` with its error: FC retries it, and after the last attempt the onFailure destination
 * (see failBuildFromDestination) marks it failed and notifies. A job whose build already reached
 * a final state (FC delivers at least once) is acknowledged without building again.
 */
export async function runBuildJob(job: BuildJob, ctx: BuilderContext): Promise<JobOutcome> {
  const existing = await ctx.store.get(job.build.id);
  if (existing && FINAL_STATES.has(existing.state)) {
    ctx.log(`[${existing.id}] already ${existing.state}; this delivery of the job is ignored`);
    return { failed: false, body: { id: existing.id, state: existing.state, duplicate: true } };
  }
  const build: BuildRecord = existing ?? job.build;
  build.state = 'running';
  build.attempts += 1;
  build.startedAt = new Date(ctx.now()).toISOString();
  await ctx.store.save(build);
  ctx.log(`[${build.id}] attempt ${build.attempts} started`);

  // Progress saves run one after another (an object store could finish two PUTs out of order) and
  // never fail the build: the final save below carries everything. A run cut off by the timeout
  // may still report progress after the attempt ended: that must not overwrite the outcome.
  let saving: Promise<void> = Promise.resolve();
  let ended = false;
  const progress = (r: BuildRecord) => {
    if (ended) return;
    const snapshot = structuredClone(r);
    saving = saving.then(() => ctx.store.save(snapshot)).catch((err: Error) => ctx.log(`[${r.id}] progress not saved: ${err.message}`));
  };
  const run = (b: BuildRecord, signal: AbortSignal) => runBuild(b, { sources: ctx.sources, dataDir: ctx.dataDir, steps: ctx.steps, log: ctx.log, signal, progress });
  const { ok, build: after } = await runAttempt(build, run, { timeoutMs: ctx.attemptTimeoutMs, now: ctx.now, timeoutHint: 'BUILD_TIMEOUT_SECONDS' });
  ended = true;
  await saving;
  if (ok) {
    await ctx.store.save(after);
    ctx.log(`[${after.id}] ${after.state} in ${Date.parse(after.finishedAt!) - Date.parse(after.startedAt ?? after.createdAt)} ms; release ${after.release}`);
    await ctx.notify(after);
    await ctx.store.prune(KEEP_RECORDS);
    return { failed: false, body: { id: after.id, state: after.state, release: after.release } };
  }
  after.state = 'queued';
  await ctx.store.save(after);
  ctx.log(`[${after.id}] attempt ${after.attempts} failed in ${after.error!.phase}: ${after.error!.message} — Function Compute retries it`);
  return { failed: true, body: { id: after.id, error: after.error } };
}
