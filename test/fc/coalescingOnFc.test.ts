/**
 * Coalescing on Function Compute, measured with the local burst (test/faults/burst.test.ts): 50
 * signed pushes in 10 s over 10 repositories through the HTTP function; FC's async side runs the
 * builder one invocation at a time (reservedConcurrency 1) after each push's quiet-period delay.
 * The delivered build carries every waiting one (the local queue's rules, the builder waiting out
 * the quiet period itself if FC ignored the delay), the others end
 * `superseded` and their own jobs end at once; every repository shows its newest commit. A build
 * already running is never cancelled: pushes arriving meanwhile are built by the next one, which
 * the ending build hands FC at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { currentRelease } from '../../functions/core/deploy/deployRelease.ts';
import type { BuildRecord } from '../../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { fastSteps } from '../support/fastSteps.ts';
import { startFcStack, STACK_SECRETS, type FcStack } from '../support/fcStack.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';

const REPOS = Array.from({ length: 10 }, (_, i) => `team${i}`);
const pageOf = (repo: string, v: number) => `${repo} at version ${v}.`;

describe('coalescing on FC: a burst of 50 pushes in 10 s over 10 repositories', () => {
  let dir: string;
  let gh: FakeGitHub;
  let stack: FcStack;
  let buildSiteMs = 0;
  const heads = new Map<string, string>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-burst-'));
    gh = await startFakeGitHub();
    for (const r of REPOS) heads.set(r, await gh.createRepo('acme', r, { 'docs/readme.md': `# ${r}\n\n${pageOf(r, 0)}\n` }));
    writeFileSync(join(dir, 'sources.yaml'), `sources:\n${REPOS.map((r) => `  - id: ${r}\n    title: ${r}\n    repo: acme/${r}\n`).join('')}`);
    const copy = fastSteps(async () => ({ fetched: [], failures: [] })).buildSite;
    // A site build that takes a while, so pushes arrive while one runs.
    const buildSite: typeof copy = async (options) => {
      await sleep(buildSiteMs);
      return copy(options);
    };
    stack = await startFcStack({ dir, sourcesFile: join(dir, 'sources.yaml'), githubUrl: gh.url, concurrency: 1, steps: { buildSite } });
    const first = await stack.rebuild();
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
  });
  after(async () => {
    await stack?.close();
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function push(repo: string, v: number): Promise<string> {
    const sha = await gh.commit('acme', repo, { files: { 'docs/readme.md': `# ${repo}\n\n${pageOf(repo, v)}\n` } });
    const d = await signedDelivery(
      STACK_SECRETS.webhook,
      'push',
      pushPayload(`acme/${repo}`, 'main', { sha, before: heads.get(repo)!, commits: [{ modified: ['docs/readme.md'] }] }),
    );
    heads.set(repo, sha);
    const ack = await postDelivery(`${stack.webhookUrl}/webhook`, d);
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    return ack.body.id;
  }

  async function site(): Promise<string> {
    const current = (await currentRelease(stack.dataDir))!;
    return readdirSync(current.path, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
  }

  for (const honourDelay of [true, false]) {
    it(`folds the burst into few builds, every repository live at its newest commit; superseded jobs end at once${honourDelay ? '' : ' (also when FC ignores x-fc-async-delay)'}`, async (t) => {
      buildSiteMs = 1000;
      stack.dispatcher.honourDelay = honourDelay;
      const invocationsBefore = stack.dispatcher.invocations.length;
      const start = Date.now();
      const ids: string[] = [];
      const newest = new Map<string, number>();
      let lastArrived = 0;
      for (let i = 0; i < 50; i++) {
        const due = start + i * 200;
        if (Date.now() < due) await sleep(due - Date.now());
        const repo = REPOS[i % REPOS.length]!;
        ids.push(await push(repo, i + 1));
        newest.set(repo, i + 1);
        lastArrived = Date.now();
      }
      await stack.dispatcher.idle();
      const builds = (await Promise.all(ids.map((id) => stack.store.get(id)))).map((b) => b!);
      const ran = builds.filter((b) => b.state !== 'superseded');
      for (const b of ran) assert.equal(b.state, 'succeeded', `${b.id}: ${JSON.stringify(b.error)}`);
      for (const b of builds.filter((x) => x.state === 'superseded')) {
        const carrier = (await stack.store.get(b.supersededBy!)) as BuildRecord;
        assert.equal(carrier.state, 'succeeded', `${b.id} carried by ${b.supersededBy} (${carrier.state})`);
        assert.ok(carrier.carried!.ids.includes(b.id));
      }
      assert.equal(
        ran.reduce((n, b) => n + 1 + (b.carried?.count ?? 0), 0),
        50,
        'every push built exactly once',
      );
      const text = await site();
      for (const [repo, v] of newest) assert.ok(text.includes(pageOf(repo, v)), `${repo} shows version ${v}`);

      const last = Math.max(...ran.map((b) => Date.parse(b.finishedAt!)));
      const jobs = stack.dispatcher.invocations.slice(invocationsBefore);
      const quick = jobs
        .filter((j) => j.body?.state === 'superseded')
        .map((j) => j.ms)
        .sort((a, b) => a - b);
      t.diagnostic(
        `burst: 50 pushes over ${((lastArrived - start) / 1000).toFixed(1)} s → ${ran.length} build(s) ran (carrying ${ran.map((b) => b.carried?.count ?? 0).join(', ')}), ${builds.length - ran.length} superseded; last push live ${((last - lastArrived) / 1000).toFixed(1)} s after it arrived`,
      );
      t.diagnostic(
        `${jobs.length} invocations (${stack.dispatcher.counts.throttled} throttled and retried); superseded jobs answered in median ${quick[quick.length >> 1]?.toFixed(0)} ms, max ${quick.at(-1)?.toFixed(0)} ms`,
      );
      assert.ok(ran.length <= 3, `${ran.length} builds ran`);
      const endedAtOnce = new Set(jobs.filter((j) => j.body?.state === 'superseded' && j.body.duplicate).map((j) => j.body.id));
      assert.equal(endedAtOnce.size, builds.length - ran.length, "each superseded build's job ended without building");
      stack.dispatcher.honourDelay = true;
    });
  }

  it('never cancels a running build: pushes that arrive meanwhile are carried by the next one, started as it ends', async (t) => {
    buildSiteMs = 6000;
    const first = await push('team0', 101);
    await sleep(3000); // the first build started (2 s quiet) and is in its site build
    assert.equal((await stack.store.get(first))!.state, 'running');
    const second = await push('team1', 102);
    const third = await push('team0', 103);
    assert.equal((await stack.store.get(first))!.state, 'running', 'both pushes arrived while the first build ran');
    await stack.dispatcher.idle();
    const [a, b, c] = (await Promise.all([first, second, third].map((id) => stack.store.get(id)))).map((r) => r!);
    assert.equal(a!.state, 'succeeded');
    assert.equal(a!.carried, undefined, 'the running build carried nothing that came later');
    assert.equal(a!.attempts, 1);
    const carrier = b!.state === 'superseded' ? (await stack.store.get(b!.supersededBy!))! : b!;
    assert.equal(carrier.state, 'succeeded');
    assert.equal(c!.state === 'superseded' ? c!.supersededBy : c!.id, carrier.id, 'both later pushes in one build');
    const text = await site();
    assert.ok(text.includes(pageOf('team0', 103)) && text.includes(pageOf('team1', 102)));
    // The first build's instance handed FC the next waiting build's job as it ended: its own job is
    // in FC's throttling backoff, which grows with the length of the build.
    assert.ok(
      stack.fc.tasks.some((task) => task.taskId === `next-${second}`),
      'the next build was started by the one before it',
    );
    const gap = Date.parse(carrier.startedAt!) - Date.parse(a!.finishedAt!);
    t.diagnostic(`the next build started ${gap} ms after the running one ended; ${stack.dispatcher.counts.throttled} throttled invocations so far`);
  });
});
