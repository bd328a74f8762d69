import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BuildQueue, MAX_FREE_INTERRUPTIONS } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import type { BuildRecord } from '../../functions/core/types.ts';
import { manual, useQueueDir } from '../support/queueFixture.ts';

const { dir, fresh } = useQueueDir();

describe('BuildQueue', () => {
  it('keeps a queued build across a reopen, and one queued while another runs waits its turn', () => {
    const file = join(dir, 'reopen.db');
    const q1 = new BuildQueue(openDatabase(file));
    const a = q1.enqueue(manual);
    q1.db.close();
    const q2 = new BuildQueue(openDatabase(file));
    const first = q2.claim()!;
    assert.equal(first.build.id, a.id);
    assert.equal(first.build.state, 'running');
    assert.equal(first.build.attempts, 1);
    const b = q2.enqueue({ ...manual, full: true });
    assert.equal(q2.get(a.id)!.state, 'running', 'a running build is never superseded');
    assert.equal(q2.claim()!.build.id, b.id);
    assert.equal(q2.claim(), undefined);
    q2.db.close();
  });

  it('coalesces: builds waiting to start are carried by the newest one and end superseded', () => {
    let now = 10_000_000;
    const q = fresh({ coalesceWindowMs: 2000, now: () => now });
    const push = (repo: string, i: number) => ({
      kind: 'push' as const,
      repo,
      ref: 'refs/heads/main',
      sha: String(i).padStart(40, '0'),
      pusher: 'p',
      delivery: `d${i}`,
    });
    const running = q.enqueue(manual);
    now += 1;
    q.claim();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      now += 200; // 50 pushes over 10 s, 10 repositories
      const r = q.acceptDelivery({ guid: `d${i}`, event: 'push' }, { trigger: push(`org/repo${i % 10}`, i) });
      assert.equal(r.duplicate, false);
      ids.push((r as { build: BuildRecord }).build.id);
    }
    const last = q.get(ids.at(-1)!)!;
    assert.equal(last.state, 'queued');
    assert.equal(last.carried!.count, 49);
    assert.deepEqual(last.carried!.ids, ids.slice(0, -1));
    assert.equal(last.request!.pushes.length, 10, 'one entry per repository');
    assert.deepEqual(
      last.request!.pushes.map((p) => p.deliveries),
      Array(10).fill(5),
    );
    assert.equal(last.request!.pushes.find((p) => p.repo === 'org/repo9')!.sha, String(49).padStart(40, '0'), 'the newest commit of each repository');
    for (const id of ids.slice(0, -1)) {
      const b = q.get(id)!;
      assert.equal(b.state, 'superseded');
      assert.equal(b.supersededBy, last.id);
      assert.equal(q.carrierOf(id)!.id, last.id);
    }
    assert.equal(q.get(running.id)!.state, 'running');
    // The ledger tells each delivery where it went.
    const row = q.listDeliveries(100).find((d) => d.guid === 'd0')!;
    assert.equal(row.builtIn, last.id);
    assert.equal(row.outcome, 'queued');
    // While pushes keep coming the start moves with them (2 s after the latest), capped 10 s after the first.
    assert.equal(q.nextRunAt(), 10_000_001 + 200 + 10_000);
  });

  it('puts builds interrupted by a crash back in the queue (at-least-once)', () => {
    const file = join(dir, 'crash.db');
    const q1 = new BuildQueue(openDatabase(file));
    const a = q1.enqueue(manual);
    q1.claim();
    q1.db.close(); // the process dies here with the build "running"
    const q2 = new BuildQueue(openDatabase(file));
    assert.equal(q2.recoverInterrupted(), 1);
    const again = q2.claim()!;
    assert.equal(again.build.id, a.id);
    assert.equal(again.build.attempts, 1, 'the interrupted attempt is given back');
    assert.equal(again.build.interruptions, 1);
    q2.db.close();
  });

  it('counts interruptions as attempts once a build keeps taking the process down', () => {
    const file = join(dir, 'crash-loop.db');
    const attempts: number[] = [];
    let db = openDatabase(file);
    new BuildQueue(db).enqueue(manual);
    for (let crash = 1; crash <= MAX_FREE_INTERRUPTIONS + 2; crash++) {
      const q = new BuildQueue(db);
      q.recoverInterrupted();
      attempts.push(q.claim()!.build.attempts);
      db.close();
      db = openDatabase(file);
    }
    db.close();
    assert.deepEqual(attempts, [1, 1, 1, 1, 2], `free for ${MAX_FREE_INTERRUPTIONS} interruptions, then counted`);
  });

  it('retries with backoff up to maxAttempts, then fails', () => {
    let now = 1_000_000;
    const q = fresh({ maxAttempts: 3, retryDelaysMs: [100, 1000], now: () => now });
    q.enqueue(manual);
    const c1 = q.claim()!.build;
    assert.equal(q.retryOrFail(c1), true);
    assert.equal(q.claim(), undefined, 'not due before the backoff');
    assert.equal(q.nextRunAt(), now + 100);
    now += 100;
    const c2 = q.claim()!.build;
    assert.equal(c2.attempts, 2);
    assert.equal(q.retryOrFail(c2), true);
    now += 999;
    assert.equal(q.claim(), undefined);
    now += 1;
    const c3 = q.claim()!.build;
    assert.equal(q.retryOrFail(c3), false);
    assert.equal(q.get(c3.id)!.state, 'failed');
  });

  it('gives up on a build older than the maximum event age', () => {
    let now = 5_000_000;
    const q = fresh({ maxEventAgeMs: 60_000, now: () => now });
    const b = q.enqueue(manual);
    now += 60_000;
    const c = q.claim()!;
    assert.equal(c.expired, true);
    assert.equal(q.get(b.id)!.state, 'failed');
    assert.match(q.get(b.id)!.error!.message, /maximum event age/);
  });
});

describe('coalescing a burst while idle', () => {
  it('starts 2 s after the last push of a burst, but never later than 10 s after the first', () => {
    let now = 30_000_000;
    const q = fresh({ now: () => now });
    const push = (i: number) => ({
      kind: 'push' as const,
      repo: 'org/r',
      ref: 'refs/heads/main',
      sha: String(i).padStart(40, '0'),
      pusher: 'p',
      delivery: `q${i}`,
    });
    q.enqueue(push(0));
    assert.equal(q.nextRunAt(), 30_000_000 + 2000);
    now += 1500;
    q.enqueue(push(1));
    assert.equal(q.nextRunAt(), 30_000_000 + 1500 + 2000, 'quiet period restarts');
    for (let i = 2; i < 10; i++) {
      now += 1500;
      q.enqueue(push(i));
    }
    assert.equal(q.nextRunAt(), 30_000_000 + 10_000, 'capped 10 s after the first push');
    now += 1;
    q.enqueue({ kind: 'manual', full: false });
    assert.equal(q.nextRunAt(), now, 'a manual rebuild starts at once, carrying the pushes');
  });
});

describe('coalescing with two builds waiting', () => {
  it('merges a build waiting for its retry and a newer one into the next carrier, losing nothing', () => {
    let now = 20_000_000;
    const q = fresh({ coalesceWindowMs: 0, retryDelaysMs: [60_000], now: () => now });
    const push = (repo: string, i: number) => ({
      kind: 'push' as const,
      repo,
      ref: 'refs/heads/main',
      sha: String(i).padStart(40, '0'),
      pusher: `p${i}`,
      delivery: `x${i}`,
    });
    const first = q.enqueue(push('org/a', 1));
    const running = q.claim()!.build;
    const second = q.enqueue(push('org/b', 2)); // waits while the first runs
    running.error = { phase: 'fetch', message: 'boom' };
    assert.equal(q.retryOrFail(running), true); // the first waits for its retry: two queued now
    now += 1;
    const third = q.enqueue({ kind: 'manual', full: false, sources: ['x'], requestedBy: 'cli' });
    const carrier = q.get(third.id)!;
    assert.equal(carrier.carried!.count, 2);
    assert.deepEqual(carrier.carried!.ids.sort(), [first.id, second.id].sort());
    assert.deepEqual(carrier.request!.pushes.map((p) => p.repo).sort(), ['org/a', 'org/b']);
    assert.deepEqual(carrier.request!.manual, { full: false, requestedBy: ['cli'], sources: ['x'] });
    assert.equal(q.get(first.id)!.supersededBy, third.id);
    assert.equal(q.get(second.id)!.supersededBy, third.id);
  });
});
