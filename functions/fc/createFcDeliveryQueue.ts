import { type AcceptResult, type DeliveryDecision, type DeliveryInfo, newBuildId } from '../core/queue/BuildQueue.ts';
import type { BuildRecord, Trigger } from '../core/types.ts';
import type { AsyncInvocation } from './createFcInvoker.ts';

/** What the HTTP function hands the builder function: a small job description, never the payload. */
export interface BuildJob {
  build: BuildRecord;
}

export interface FcDeliveryQueueDeps {
  /** Hand a job to FC as an async invocation of the builder (see createFcInvoker). */
  invoke: (job: BuildJob, taskId: string) => Promise<AsyncInvocation>;
  /** Told about each build FC accepted and each skipped delivery, so GET /builds shows it. Must not throw. */
  record?: (build: BuildRecord) => void | Promise<void>;
  now?: () => number;
}

/** The async task id for a GitHub delivery: FC ids must start with a letter, delivery GUIDs may not. */
export const taskIdForDelivery = (guid: string): string => `gh-${guid}`;
/** The async task id for a manual rebuild. */
export const taskIdForRebuild = (buildId: string): string => `rebuild-${buildId}`;

/**
 * On Function Compute the queue is FC's async invocation (durable, retried, with a maximum event
 * age and destinations). A build counts as accepted only once FC has accepted the async task; the
 * delivery id is (part of) the task id, so FC itself recognises a redelivery.
 */
export function createFcDeliveryQueue(deps: FcDeliveryQueueDeps) {
  const now = deps.now ?? Date.now;
  const newRecord = (trigger: Trigger): BuildRecord => {
    const at = now();
    return { id: newBuildId(at), state: 'queued', trigger, createdAt: new Date(at).toISOString(), attempts: 0, phases: {}, sources: [] };
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
      const build = newRecord(decision.trigger);
      const result = await deps.invoke({ build }, taskIdForDelivery(delivery.guid));
      if (result.duplicate) return { duplicate: true, outcome: 'queued' };
      await deps.record?.(build);
      return { duplicate: false, build };
    },
    /** A manual rebuild (POST /rebuild): accepted once FC accepted the async task. */
    async enqueue(trigger: Trigger): Promise<BuildRecord> {
      const build = newRecord(trigger);
      await deps.invoke({ build }, taskIdForRebuild(build.id));
      await deps.record?.(build);
      return build;
    },
  };
}
