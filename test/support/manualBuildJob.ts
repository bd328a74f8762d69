/** A builder job as the HTTP function hands it over: one queued manual build created at `now`. */
import { newBuildId } from '../../functions/core/queue/BuildQueue.ts';
import type { BuildRecord } from '../../functions/core/types.ts';

export function manualBuildJob(now = Date.now(), full = true): { build: BuildRecord } {
  return {
    build: {
      id: newBuildId(now),
      state: 'queued',
      trigger: { kind: 'manual', full, requestedBy: 'test' },
      createdAt: new Date(now).toISOString(),
      attempts: 0,
      phases: {},
      sources: [],
    },
  };
}
