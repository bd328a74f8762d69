import { type BuildSteps, PhaseError, runBuild } from '../core/pipeline/runBuild.ts';
import type { BuildRecord, SourceConfig } from '../core/types.ts';
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

const FINAL = new Set(['succeeded', 'failed', 'skipped']);
/** How many build records to keep on the NAS. */
const KEEP_RECORDS = 1000;

/**
 * One attempt of a build, as FC's async invocation delivers it (first run or a retry). The record
 * is saved before, during and after, so GET /builds follows it. A failed attempt leaves the build
 * `queued` with its error: FC retries it, and after the last attempt the onFailure destination
 * (see failBuildFromDestination) marks it failed and notifies. A job whose build already reached
 * a final state (FC delivers at least once) is acknowledged without building again.
 */
export async function runBuildJob(job: BuildJob, ctx: BuilderContext): Promise<JobOutcome> {
  const existing = ctx.store.get(job.build.id);
  if (existing && FINAL.has(existing.state)) {
    ctx.log(`[${existing.id}] already ${existing.state}; this delivery of the job is ignored`);
    return { failed: false, body: { id: existing.id, state: existing.state, duplicate: true } };
  }
  const build: BuildRecord = existing ?? job.build;
  build.state = 'running';
  build.attempts += 1;
  build.startedAt = new Date(ctx.now()).toISOString();
  ctx.store.save(build);
  ctx.log(`[${build.id}] attempt ${build.attempts} started`);

  const controller = new AbortController();
  const limit = ctx.attemptTimeoutMs >= 1000 ? `${Math.round(ctx.attemptTimeoutMs / 1000)} s` : `${ctx.attemptTimeoutMs} ms`;
  const timer = setTimeout(() => controller.abort(new Error(`attempt timed out after ${limit} (BUILD_TIMEOUT_SECONDS)`)), ctx.attemptTimeoutMs);
  const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true }));
  aborted.catch(() => {});
  try {
    const run = runBuild(build, { sources: ctx.sources, dataDir: ctx.dataDir, steps: ctx.steps, log: ctx.log, signal: controller.signal, progress: (b) => ctx.store.save(b) });
    const done = await Promise.race([run, aborted]);
    done.state = 'succeeded';
    delete done.error;
    done.finishedAt = new Date(ctx.now()).toISOString();
    ctx.store.save(done);
    ctx.log(`[${done.id}] succeeded in ${Date.parse(done.finishedAt) - Date.parse(done.startedAt ?? done.createdAt)} ms; release ${done.release}`);
    await ctx.notify(done);
    ctx.store.prune(KEEP_RECORDS);
    return { failed: false, body: { id: done.id, state: done.state, release: done.release } };
  } catch (err) {
    const phase = err instanceof PhaseError ? err.phase : 'build';
    build.error = { phase, message: (err as Error).message ?? String(err) };
    build.state = 'queued';
    ctx.store.save(build);
    ctx.log(`[${build.id}] attempt ${build.attempts} failed in ${phase}: ${build.error.message} — Function Compute retries it`);
    return { failed: true, body: { id: build.id, error: build.error } };
  } finally {
    clearTimeout(timer);
  }
}
