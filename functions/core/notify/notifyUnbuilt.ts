import type { AcceptResult, BuildQueue, DeliveryDecision, DeliveryInfo } from '../queue/BuildQueue.ts';
import type { BuildRecord, Trigger } from '../types.ts';
import type { BuildNotifier } from './createBuildNotifier.ts';

type Queue = Pick<BuildQueue, 'acceptDelivery' | 'enqueue' | 'supersededBy'> & Partial<Pick<BuildQueue, 'recordRejection'>>;

export interface UnbuiltNotifyingQueue {
  acceptDelivery(delivery: DeliveryInfo, decision: DeliveryDecision): AcceptResult;
  enqueue(trigger: Trigger): BuildRecord;
  recordRejection(rejection: { guid?: string; event?: string; status: number; reason: string }): void;
}

/**
 * The builds that never reach the worker are final the moment the queue writes them: skipped
 * deliveries, and waiting builds superseded by a newer one. This wraps the queue the webhook and
 * rebuild handlers write to so those are reported too — only when NOTIFY_ON lists `skipped` /
 * `superseded`, and after the call returns, so a 202 never waits for a notification.
 */
export function notifyUnbuilt(queue: Queue, notifier: BuildNotifier): UnbuiltNotifyingQueue {
  const afterQueued = (build: BuildRecord): void => {
    if (!notifier.wants('superseded') || !build.carried) return;
    // The builds this one superseded just now: those pointing at it directly.
    for (const old of queue.supersededBy(build.id)) notifier.notifyLater(old);
  };
  return {
    acceptDelivery(delivery, decision) {
      const result = queue.acceptDelivery(delivery, decision);
      if (!result.duplicate && result.build) {
        if (result.build.state === 'skipped') notifier.notifyLater(result.build);
        else afterQueued(result.build);
      }
      return result;
    },
    enqueue(trigger) {
      const build = queue.enqueue(trigger);
      afterQueued(build);
      return build;
    },
    recordRejection(rejection) {
      queue.recordRejection?.(rejection);
    },
  };
}
