import { type AcceptResult, type DeliveryDecision, type DeliveryInfo, newBuildId } from '../core/queue/BuildQueue.ts';
import type { BuildRecord } from '../core/types.ts';
import type { AsyncInvocation } from './createFcInvoker.ts';

/** What the webhook function hands the builder function: a small job description, never the payload. */
export interface BuildJob {
  build: BuildRecord;
}

/**
 * On Function Compute the queue is FC's async invocation (durable, retried, with a maximum event
 * age and destinations). A build is accepted once FC has accepted the async task; the delivery id
 * is the task id, so a redelivery is recognised by FC itself.
 */
export function createFcDeliveryQueue(invoke: (job: BuildJob, taskId: string) => Promise<AsyncInvocation>, now: () => number = Date.now) {
  return {
    async acceptDelivery(delivery: DeliveryInfo, decision: DeliveryDecision): Promise<AcceptResult> {
      if ('skip' in decision) return { duplicate: false, skipped: decision.skip };
      const at = now();
      const build: BuildRecord = { id: newBuildId(at), state: 'queued', trigger: decision.trigger, createdAt: new Date(at).toISOString(), attempts: 0, phases: {}, sources: [] };
      const result = await invoke({ build }, delivery.guid);
      return result.duplicate ? { duplicate: true, outcome: 'queued' } : { duplicate: false, build };
    },
  };
}
