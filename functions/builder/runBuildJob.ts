import type { CoalesceRules } from '../core/queue/coalesce.ts';
import { acquireLease, type HeldLease, LeaseWaitTimeout } from '../core/lease/holdLease.ts';
import { runAttempt } from '../core/pipeline/runAttempt.ts';
import { type BuildSteps, runBuild } from '../core/pipeline/runBuild.ts';
import { type BuildRecord, FINAL_STATES, type SourceConfig } from '../core/types.ts';
import type { BuildJob } from '../fc/createFcDeliveryQueue.ts';
import type { FileBuildStore } from '../fc/createFileBuildStore.ts';
import { claimCarrier } from './claimCarrier.ts';

export interface BuilderContext {
  dataDir: string;
  sources: SourceConfig[];
  steps: BuildSteps;
  store: FileBuildStore;
  /** Tell people about a build in its final state. Never throws. */
  notify: (build: BuildRecord) => Promise<void>;
  log: (line: string) => void;
  /** Removes secrets from text kept in build records (a failed attempt's message). */
  redact?: (text: string) => string;
  /** Stop an attempt after this long, before FC's own function timeout cuts it off unreported. */
  attemptTimeoutMs: number;
  now: () => number;
  /** The build lease: this instance's random id, and how long a lease lives without renewal. */
  lease: { holder: string; ttlMs: number; pollMs?: number };
  rules: CoalesceRules;
  /**
   * Start a waiting build now (an async invocation of this function with its job): its own job may
   * be far off, as FC retries invocations throttled by the concurrency limit with growing backoff.
   */
  invokeNext?: (build: BuildRecord) => Promise<void>;
}

export interface JobOutcome {
  /** True when FC should count this invocation as failed (and retry it). */
  failed: boolean;
  body: Record<string, unknown>;
}

/** How many build records to keep (NAS or OSS). */
const KEEP_RECORDS = 1000;
/** The builder's answer becomes the destination event's responsePayload: keep it small. */
const MAX_MESSAGE = 2000;

const finalOutcome = (build: BuildRecord): JobOutcome => ({
  failed: false,
  body: { id: build.id, state: build.state, duplicate: true, ...(build.supersededBy ? { supersededBy: build.supersededBy } : {}) },
});

/**
 * One delivery of a build job by FC's async invocation (first run or a retry). A build already
 * final (FC delivers at least once; or a newer build carried it) ends at once. Otherwise, holding
 * the build lease (one build at a time across instances, taken over when a crashed holder's lease
 * expires), the build carries every build waiting in the store (claimCarrier) and runs one attempt.
 * The record is saved before, during and after, so GET /builds follows it. A failed attempt leaves
 * it `queued` with its error: FC retries it, and after the last attempt the onFailure destination
 * (failBuildFromDestination) marks it failed and notifies.
 */
export async function runBuildJob(job: BuildJob, ctx: BuilderContext): Promise<JobOutcome> {
  const seen = await ctx.store.get(job.build.id);
  if (seen && FINAL_STATES.has(seen.state)) {
    ctx.log(`[${seen.id}] already ${seen.state}${seen.supersededBy ? ` (carried by ${seen.supersededBy})` : ''}; this delivery of the job is ignored`);
    return finalOutcome(seen);
  }
  if (job.incomplete) ctx.log(`[${job.build.id}] the job came without ${job.incomplete.dropped.join(', ')} (FC's payload limit); GitHub is asked what changed`);
  let held: HeldLease;
  try {
    held = await acquireLease(ctx.store, {
      ...ctx.lease,
      now: ctx.now,
      waitMs: ctx.attemptTimeoutMs,
      onWait: (l) => ctx.log(`[${job.build.id}] waiting for the build lease, held by ${l.holder} until ${new Date(l.expiresAt).toISOString()} unless renewed`),
    });
  } catch (err) {
    if (!(err instanceof LeaseWaitTimeout)) throw err;
    ctx.log(`[${job.build.id}] ${err.message} — Function Compute retries it`);
    return { failed: true, body: { id: job.build.id, error: { phase: 'queue', message: err.message } } };
  }
  const notices: Array<Promise<void>> = [];
  let built = false;
  try {
    const claim = await claimCarrier(job.build, ctx);
    if (claim.final) return finalOutcome(claim.build);
    if (claim.superseded.length)
      ctx.log(`[${claim.build.id}] carries ${claim.superseded.length} waiting build(s): ${claim.superseded.map((b) => b.id).join(', ')}`);
    for (const old of claim.superseded) notices.push(ctx.notify(old));
    built = true;
    return await attempt(claim.build, ctx, held.lost);
  } finally {
    await held.release();
    await Promise.all(notices);
    if (built) await startNext(job.build.id, ctx);
  }
}

/** Builds queued while this one ran: hand FC the oldest one's job now (it carries the others). */
async function startNext(doneId: string, ctx: BuilderContext): Promise<void> {
  if (!ctx.invokeNext) return;
  try {
    const next = (await ctx.store.listQueued()).find((b) => b.id !== doneId);
    if (next) await ctx.invokeNext(next);
  } catch (err) {
    // Its own job still comes; only later.
    ctx.log(`[${doneId}] could not start the next waiting build now: ${(err as Error).message}`);
  }
}

async function attempt(build: BuildRecord, ctx: BuilderContext, lost: AbortSignal): Promise<JobOutcome> {
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
  const run = (b: BuildRecord, signal: AbortSignal) =>
    runBuild(b, { sources: ctx.sources, dataDir: ctx.dataDir, steps: ctx.steps, log: ctx.log, signal: AbortSignal.any([signal, lost]), progress });
  const { ok, build: after } = await runAttempt(build, run, {
    timeoutMs: ctx.attemptTimeoutMs,
    now: ctx.now,
    timeoutHint: 'BUILD_TIMEOUT_SECONDS',
    ...(ctx.redact ? { redact: ctx.redact } : {}),
  });
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
  return { failed: true, body: { id: after.id, error: { phase: after.error!.phase, message: after.error!.message.slice(0, MAX_MESSAGE) } } };
}
