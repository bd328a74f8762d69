import assert from 'node:assert/strict';
import { runAttempt } from '../../functions/core/pipeline/runAttempt.ts';
import { type BuildSteps, runBuild } from '../../functions/core/pipeline/runBuild.ts';
import type { BuildRecord, SourceConfig } from '../../functions/core/types.ts';

/**
 * Runs one real manual build (runAttempt → runBuild) per call over the same DATA_DIR, ids b1, b2…,
 * asserting each succeeds; for tests that compare a build with the one before.
 */
export function manualBuilds(sources: SourceConfig[], dataDir: string, steps: BuildSteps): () => Promise<BuildRecord> {
  let n = 0;
  return async () => {
    const b: BuildRecord = {
      id: `b${++n}`,
      state: 'queued',
      trigger: { kind: 'manual', full: false },
      createdAt: new Date().toISOString(),
      attempts: 1,
      phases: {},
      sources: [],
    };
    const { ok, build: done } = await runAttempt(b, (x, signal) => runBuild(x, { sources, dataDir, steps, signal }), { timeoutMs: 60_000, now: Date.now });
    assert.ok(ok, JSON.stringify(done.error));
    return done;
  };
}
