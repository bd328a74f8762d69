/**
 * Preview builds in the durable queue: never coalesced with live builds (either way), a newer trigger
 * for the same pull request supersedes its waiting older one (a close the opens), other pull
 * requests and running builds are left alone.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { coalesceGroup } from '../../functions/core/queue/coalesce.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import type { PreviewTrigger, Trigger } from '../../functions/core/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'preview-queue-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  let now = 50_000_000;
  const q = new BuildQueue(openDatabase(join(dir, `q${n++}.db`)), { coalesceWindowMs: 2000, now: () => (now += 10) });
  return q;
};

const push = (i: number): Trigger => ({
  kind: 'push',
  repo: 'devsapp/fc',
  ref: 'refs/heads/main',
  sha: String(i).padStart(40, '0'),
  pusher: 'p',
  delivery: `p${i}`,
});
const preview = (number: number, head: string, action: 'open' | 'close' = 'open', repo = 'devsapp/fc'): PreviewTrigger => ({
  kind: 'preview',
  delivery: `pr-${number}-${head}-${action}`,
  action,
  sources: ['fc'],
  pr: {
    repo,
    number,
    title: 'Edit',
    url: `https://github.com/${repo}/pull/${number}`,
    author: 'alice',
    headSha: head.repeat(40).slice(0, 40),
    headRef: 'edit',
    headRepo: repo,
    baseRef: 'main',
    draft: false,
    fork: false,
  },
});

describe('BuildQueue with preview builds', () => {
  it('a preview never carries a waiting live build, and a live build never carries a waiting preview', () => {
    const q = fresh();
    const live = q.enqueue(push(1));
    const pr = q.enqueue(preview(7, 'a'));
    assert.equal(q.get(live.id)!.state, 'queued');
    assert.equal(pr.carried, undefined);
    assert.equal(pr.request, undefined, 'a preview asks for no live pushes');
    const live2 = q.enqueue(push(2));
    assert.equal(q.get(pr.id)!.state, 'queued', 'the push did not swallow the preview');
    assert.equal(q.get(live.id)!.state, 'superseded', 'live builds still coalesce with each other');
    assert.deepEqual(live2.carried, { count: 1, ids: [live.id] });
    assert.deepEqual(
      live2.request?.pushes.map((p) => p.sha),
      [String(2).padStart(40, '0')],
    );
    const manual = q.enqueue({ kind: 'manual', full: true });
    assert.equal(q.get(pr.id)!.state, 'queued', 'a manual rebuild does not swallow it either');
    assert.equal(q.get(live2.id)!.state, 'superseded');
    assert.equal(manual.carried?.count, 2);
  });

  it('a newer trigger for the same pull request supersedes the waiting one; a close supersedes the waiting opens; other PRs are untouched', () => {
    const q = fresh();
    const a1 = q.enqueue(preview(7, 'a'));
    const other = q.enqueue(preview(8, 'c'));
    const sameNumberOtherRepo = q.enqueue(preview(7, 'd', 'open', 'devsapp/sae'));
    const a2 = q.enqueue(preview(7, 'b'));
    assert.equal(q.get(a1.id)!.state, 'superseded');
    assert.equal(q.get(a1.id)!.supersededBy, a2.id);
    assert.deepEqual(a2.carried, { count: 1, ids: [a1.id] });
    assert.equal(q.get(other.id)!.state, 'queued');
    assert.equal(q.get(sameNumberOtherRepo.id)!.state, 'queued');
    const close = q.enqueue(preview(7, 'b', 'close'));
    assert.equal(q.get(a2.id)!.state, 'superseded');
    assert.equal(q.get(a1.id)!.supersededBy, close.id, 'the chain ends at the close');
    assert.deepEqual(close.carried, { count: 2, ids: [a1.id, a2.id] });
    // What is left to run, in order: PR 8, devsapp/sae#7, the close of devsapp/fc#7.
    const order: string[] = [];
    for (let c = q.claim(); c; c = q.claim()) order.push(c.build.id);
    assert.deepEqual(order, [other.id, sameNumberOtherRepo.id, close.id]);
  });

  it('a running preview is never superseded: the newer one waits its turn', () => {
    const q = fresh();
    const a1 = q.enqueue(preview(3, 'a'));
    assert.equal(q.claim()!.build.id, a1.id);
    const a2 = q.enqueue(preview(3, 'b'));
    assert.equal(q.get(a1.id)!.state, 'running');
    assert.equal(a2.carried, undefined);
    assert.equal(q.claim()!.build.id, a2.id);
  });

  it('coalesceGroup: one group for live builds, one per pull request (repository names case-insensitive)', () => {
    assert.equal(coalesceGroup(push(1)), coalesceGroup({ kind: 'manual', full: false }));
    assert.equal(coalesceGroup(preview(1, 'a', 'open', 'DevsApp/FC')), coalesceGroup(preview(1, 'b', 'close')));
    assert.notEqual(coalesceGroup(preview(1, 'a')), coalesceGroup(preview(2, 'a')));
    assert.notEqual(coalesceGroup(preview(1, 'a')), coalesceGroup(push(1)));
  });
});
