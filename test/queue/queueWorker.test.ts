import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorker } from '../../functions/core/pipeline/createWorker.ts';
import { PhaseError } from '../../functions/core/pipeline/runBuild.ts';
import type { BuildRecord } from '../../functions/core/types.ts';
import { manual, useQueueDir } from '../support/queueFixture.ts';

const { fresh } = useQueueDir();

describe('worker', () => {
  it('runs one build at a time, retries a failed attempt, and reports each final outcome once', async () => {
    const q = fresh({ retryDelaysMs: [10] });
    const finals: BuildRecord[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const failuresLeft = new Map<string, number>();
    const worker = createWorker({
      queue: q,
      run: async (build) => {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((r) => setTimeout(r, 5));
        concurrent--;
        const left = failuresLeft.get(build.id) ?? 0;
        if (left > 0) {
          failuresLeft.set(build.id, left - 1);
          throw new PhaseError('fetch', 'GitHub answered 502');
        }
        build.phases.fetch = 1;
        return build;
      },
      onFinal: async (b) => void finals.push(b),
    });
    // One after the other (builds queued together would be coalesced into one).
    const ok = q.enqueue(manual);
    worker.wake();
    worker.wake();
    await worker.idle();
    const flaky = q.enqueue(manual);
    failuresLeft.set(flaky.id, 2);
    worker.wake();
    await worker.idle();
    const broken = q.enqueue(manual);
    failuresLeft.set(broken.id, 99);
    worker.wake();
    await worker.idle();
    await worker.stop();
    assert.equal(maxConcurrent, 1);
    assert.equal(finals.length, 3);
    const byId = new Map(finals.map((b) => [b.id, b]));
    assert.equal(byId.get(ok.id)!.state, 'succeeded');
    assert.equal(byId.get(flaky.id)!.state, 'succeeded');
    assert.equal(byId.get(flaky.id)!.attempts, 3);
    assert.equal(byId.get(broken.id)!.state, 'failed');
    assert.equal(byId.get(broken.id)!.attempts, 4);
    assert.deepEqual(byId.get(broken.id)!.error, { phase: 'fetch', message: 'GitHub answered 502' });
  });

  it('times out a hanging attempt', async () => {
    const q = fresh({ maxAttempts: 1 });
    const finals: BuildRecord[] = [];
    const worker = createWorker({ queue: q, attemptTimeoutMs: 50, run: () => new Promise(() => {}), onFinal: async (b) => void finals.push(b) });
    q.enqueue(manual);
    worker.wake();
    await worker.idle();
    assert.equal(finals[0]!.state, 'failed');
    assert.match(finals[0]!.error!.message, /timed out/);
  });
});

describe('worker wake-ups', () => {
  it('keeps working after being woken with nothing to do', async () => {
    const q = fresh();
    const finals: BuildRecord[] = [];
    const worker = createWorker({ queue: q, run: async (b) => b, onFinal: async (b) => void finals.push(b) });
    worker.wake(); // nothing queued: the loop ends at once
    await worker.idle();
    q.enqueue(manual);
    worker.wake();
    await worker.idle();
    await worker.stop();
    assert.equal(finals.length, 1);
    assert.equal(finals[0]!.state, 'succeeded');
  });
});
