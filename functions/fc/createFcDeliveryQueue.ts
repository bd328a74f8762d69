import { type AcceptResult, type DeliveryDecision, type DeliveryInfo, newBuildId } from '../core/queue/BuildQueue.ts';
import type { BuildRecord, Trigger } from '../core/types.ts';
import { COALESCE_RULES } from '../core/queue/coalesce.ts';
import type { AsyncInvocation, InvokeOptions } from './createFcInvoker.ts';
import { fitBuildJob } from './fitBuildJob.ts';

/** What the HTTP function hands the builder function: a small job description, never the payload. */
export interface BuildJob {
  build: BuildRecord;
  /** Set when parts of the push's lists were left out to fit FC's payload limit (see fitBuildJob). */
  incomplete?: { dropped: string[]; bytes: number };
}

export interface FcDeliveryQueueDeps {
  /** Hand a job to FC as an async invocation of the builder (see createFcInvoker). */
  invoke: (job: BuildJob, taskId: string, options?: InvokeOptions) => Promise<AsyncInvocation>;
  /** Told about each build FC accepted and each skipped delivery, so GET /builds shows it. Must not throw. */
  record?: (build: BuildRecord) => void | Promise<void>;
  now?: () => number;
  /** Told when a job had to leave something out to fit FC's payload limit. */
  log?: (line: string) => void;
  /** A push's job runs this much later (FC's async delay): the coalescing quiet period. Default 2 s. */
  quietMs?: number;
}

/** The async task id for a GitHub delivery: FC ids must start with a letter, delivery GUIDs may not. */
export const taskIdForDelivery = (guid: string): string => `gh-${guid}`;
/** The async task id for a manual rebuild. */
export const taskIdForRebuild = (buildId: string): string => `rebuild-${buildId}`;

/**
 * On Function Compute the queue is FC's async invocation (durable, retried, with a maximum event
 * age and destinations). A build counts as accepted only once FC has accepted the async task; the
 * delivery id is (part of) the task id, so FC itself recognises a redelivery. A push's job is
 * deferred by the coalescing quiet period, so the builder finds the pushes of a burst waiting in
 * the build store and carries them in one build (claimCarrier); every job fits the payload budget
 * (fitBuildJob).
 */
export function createFcDeliveryQueue(deps: FcDeliveryQueueDeps) {
  const now = deps.now ?? Date.now;
  const newRecord = (trigger: Trigger): BuildRecord => {
    const at = now();
    return { id: newBuildId(at), state: 'queued', trigger, createdAt: new Date(at).toISOString(), attempts: 0, phases: {}, sources: [] };
  };
  // The record kept in the build store is the job's, so both say the same.
  const fitted = (build: BuildRecord): BuildJob => {
    const job = fitBuildJob(build);
    if (job.incomplete)
      deps.log?.(`[${build.id}] job cut from ${job.incomplete.bytes} bytes to fit FC's payload limit: without ${job.incomplete.dropped.join(', ')}`);
    return job;
  };
  return {
    async acceptDelivery(delivery: DeliveryInfo, decision: DeliveryDecision): Promise<AcceptResult> {
      if ('skip' in decision) {
        if (!decision.trigger) return { duplicate: false, skipped: decision.skip };
        const build = newRecord(decision.trigger);
        build.state = 'skipped';
        build.reason = decision.skip;
        build.finishedAt = build.createdAt;
        await deps.record?.(build);
        return { duplicate: false, skipped: decision.skip, build };
      }
      const job = fitted(newRecord(decision.trigger));
      const result = await deps.invoke(job, taskIdForDelivery(delivery.guid), { delaySeconds: (deps.quietMs ?? COALESCE_RULES.quietMs) / 1000 });
      if (result.duplicate) return { duplicate: true, outcome: 'queued' };
      await deps.record?.(job.build);
      return { duplicate: false, build: job.build };
    },
    /** A manual rebuild (POST /rebuild): accepted once FC accepted the async task; it starts at once. */
    async enqueue(trigger: Trigger): Promise<BuildRecord> {
      const job = fitted(newRecord(trigger));
      await deps.invoke(job, taskIdForRebuild(job.build.id));
      await deps.record?.(job.build);
      return job.build;
    },
  };
}
