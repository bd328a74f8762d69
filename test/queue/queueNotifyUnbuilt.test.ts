import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BuildNotifier } from '../../functions/core/notify/createBuildNotifier.ts';
import { notifyUnbuilt } from '../../functions/core/notify/notifyUnbuilt.ts';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';

describe('notifyUnbuilt', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notify-unbuilt-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports each superseded build once, even when builds are queued within the same millisecond', () => {
    const queue = new BuildQueue(openDatabase(join(dir, 'q.db')), { now: () => 5_000_000 });
    const reported: string[] = [];
    const notifier: BuildNotifier = {
      wants: () => true,
      notify: async () => [],
      notifyLater: (b) => void reported.push(`${b.id} ${b.state} → ${b.supersededBy}`),
      settled: async () => {},
    };
    const intake = notifyUnbuilt(queue, notifier);
    const push = (i: number) => ({
      kind: 'push' as const,
      repo: 'acme/docs',
      ref: 'refs/heads/main',
      sha: String(i).padStart(40, '0'),
      pusher: 'p',
      delivery: `d${i}`,
    });
    const [a, b, c] = [intake.enqueue(push(1)), intake.enqueue(push(2)), intake.enqueue(push(3))];
    assert.deepEqual(reported, [`${a.id} superseded → ${b.id}`, `${b.id} superseded → ${c.id}`]);
    queue.db.close();
  });
});
