/**
 * Every payload within FC's limits: a job is cut to JOB_BUDGET_BYTES in the documented order
 * (fitBuildJob) and marked incomplete. End to end over real HTTP: signed pushes of 150 commits × 20
 * files with long paths and of 2,048 commits go through the HTTP function, FC's API (which refuses
 * anything over 128 KB), the builder, and the fake GitHub: the job is under budget, the build asks
 * GitHub's compare API, and every changed page is live with its newest text. A job that fails every
 * attempt gives a destination event under 128 KB, and the build ends failed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { currentRelease } from '../../functions/core/deploy/deployRelease.ts';
import type { BuildRecord, PushChanges } from '../../functions/core/types.ts';
import { fitBuildJob, JOB_BUDGET_BYTES, jobBytes } from '../../functions/fc/fitBuildJob.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { fastImportCommits } from '../support/fastImport.ts';
import { startFcStack, STACK_SECRETS, type FcStack } from '../support/fcStack.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';

const MAX_ASYNC_PAYLOAD = 128 * 1024;
const long = (i: number) =>
  `docs/${'component-with-a-rather-long-folder-name-'.repeat(2)}${i % 5}/${'nested-guide-section-'.repeat(4)}${Math.floor(i / 5) % 7}/${'a-page-title-written-out-in-full-'.repeat(3)}${String(i).padStart(3, '0')}.md`;

function pushBuild(changes: Partial<PushChanges>): BuildRecord {
  const full: PushChanges = { before: 'a'.repeat(40), after: 'b'.repeat(40), added: [], modified: [], removed: [], complete: true, forced: false, ...changes };
  return {
    id: '20261206-120000-0a1b2c3d',
    state: 'queued',
    trigger: { kind: 'push', repo: 'acme/handbook', ref: 'refs/heads/main', sha: 'b'.repeat(40), pusher: 'alice', delivery: 'd-1', changes: full },
    createdAt: new Date().toISOString(),
    attempts: 0,
    phases: {},
    sources: [],
  };
}
const commits = (n: number, paths: (i: number) => string[], author = 'alice') =>
  Array.from({ length: n }, (_, i) => ({
    id: i.toString(16).padStart(40, '0'),
    timestamp: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    author,
    paths: paths(i),
  }));

describe('fitBuildJob: the job budget and the order things are dropped in', () => {
  it('leaves a job that fits untouched', () => {
    const build = pushBuild({ modified: ['docs/a.md'], commits: commits(3, () => ['docs/a.md']) });
    assert.deepEqual(fitBuildJob(build), { build });
  });

  it('drops per-commit file lists first; the change lists stay complete', () => {
    const paths = Array.from({ length: 20 }, (_, i) => long(i));
    const job = fitBuildJob(pushBuild({ modified: paths, commits: commits(100, () => paths) }));
    assert.deepEqual(job.incomplete!.dropped, ['per-commit file lists']);
    assert.ok(job.incomplete!.bytes > 4 * JOB_BUDGET_BYTES, `${job.incomplete!.bytes} bytes before`);
    const changes = (job.build.trigger as { changes: PushChanges }).changes;
    assert.equal(changes.complete, true);
    assert.equal(changes.modified.length, 20);
    assert.equal(changes.commits!.length, 100);
    assert.ok(changes.commits!.every((c) => c.paths.length === 0));
    assert.ok(jobBytes(job) <= JOB_BUDGET_BYTES);
  });

  it('then commits older than the newest 10, then the rest, then the change lists (complete: false)', () => {
    const paths = Array.from({ length: 230 }, (_, i) => long(i));
    const twoSteps = fitBuildJob(pushBuild({ modified: paths.slice(0, 200), commits: commits(100, () => [], 'a-committer-with-a-long-name-'.repeat(8)) }));
    assert.deepEqual(twoSteps.incomplete!.dropped, ['per-commit file lists', 'commits older than the newest 10']);
    const kept = (twoSteps.build.trigger as { changes: PushChanges }).changes.commits!;
    assert.deepEqual(
      kept.map((c) => c.id),
      commits(100, () => [])
        .slice(-10)
        .map((c) => c.id),
      'the newest ones',
    );
    const all = fitBuildJob(pushBuild({ added: paths.slice(0, 30), modified: paths.slice(30), removed: [long(900)], commits: commits(100, () => paths) }));
    assert.deepEqual(all.incomplete!.dropped, ['per-commit file lists', 'commits older than the newest 10', 'commits', 'change lists']);
    const changes = (all.build.trigger as { changes: PushChanges }).changes;
    assert.deepEqual([changes.added, changes.modified, changes.removed, changes.complete, changes.commits], [[], [], [], false, undefined]);
    assert.equal(changes.before, 'a'.repeat(40), 'the range stays: the builder compares from its own commit anyway');
    assert.ok(jobBytes(all) <= JOB_BUDGET_BYTES);
  });
});

describe('big pushes through the FC functions: under budget, built via the compare API', () => {
  let dir: string;
  let gh: FakeGitHub;
  let stack: FcStack;
  let head: string;
  const FILES = 250;
  const version = new Map<string, number>();
  const text = (path: string, v: number) => `# Page ${path.slice(-7, -3)}\n\nbody of ${path.slice(-7, -3)} at version ${v}\n`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-budget-'));
    gh = await startFakeGitHub();
    const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [long(i), text(long(i), 0)]));
    head = await gh.createRepo('acme', 'handbook', files);
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: handbook\n    title: Handbook\n    repo: acme/handbook\n');
    stack = await startFcStack({ dir, sourcesFile: join(dir, 'sources.yaml'), githubUrl: gh.url });
    const first = await stack.rebuild();
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
  });
  after(async () => {
    await stack?.close();
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Commit `specs` (paths per commit), deliver the push signed, and follow it to the end. */
  async function push(specs: string[][]) {
    const shas = await fastImportCommits(
      gh.repo('acme', 'handbook').dir,
      'main',
      head,
      specs.map((paths, i) => ({ files: Object.fromEntries(paths.map((p) => [p, text(p, i + 1)])) })),
    );
    for (const [i, paths] of specs.entries()) for (const p of paths) version.set(p, i + 1);
    const payload = pushPayload('acme/handbook', 'main', {
      before: head,
      sha: shas.at(-1)!,
      commits: specs.map((modified, i) => ({ id: shas[i]!, modified })),
    });
    head = shas.at(-1)!;
    const d = await signedDelivery(STACK_SECRETS.webhook, 'push', payload);
    const compares = gh.requests.filter((r) => r.path.includes('/compare/')).length;
    const ack = await postDelivery(`${stack.webhookUrl}/webhook`, d);
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    const task = stack.fc.tasks.at(-1)!;
    await stack.dispatcher.idle();
    return {
      delivery: d,
      ack,
      task,
      job: JSON.parse(task.body),
      build: (await stack.store.get(ack.body.id))!,
      compared: gh.requests.filter((r) => r.path.includes('/compare/')).length > compares,
    };
  }

  async function assertEveryPageLive() {
    const current = (await currentRelease(stack.dataDir))!;
    const site = readdirSync(current.path, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    for (const [path, v] of version) assert.ok(site.includes(`body of ${path.slice(-7, -3)} at version ${v}\n`), `${path} at version ${v}`);
  }

  it('150 commits × 20 files with long paths', async (t) => {
    const specs = Array.from({ length: 150 }, (_, c) => Array.from({ length: 20 }, (_, k) => long((c * 20 + k) % FILES)));
    const r = await push(specs);
    const bytes = Buffer.byteLength(r.task.body);
    t.diagnostic(
      `delivery ${Buffer.byteLength(r.delivery.body)} bytes → job ${bytes} bytes (${jobBytes(r.job)} as the budget counts it; cut from ${r.job.incomplete?.bytes}); dropped: ${r.job.incomplete?.dropped.join(', ')}`,
    );
    assert.ok(bytes < JOB_BUDGET_BYTES, `${bytes} bytes`);
    assert.ok(r.job.incomplete.dropped.includes('change lists'));
    assert.equal(r.job.build.trigger.changes.complete, false);
    assert.equal(r.build.state, 'succeeded', JSON.stringify(r.build.error));
    assert.ok(r.compared, 'the builder asked the compare API');
    assert.equal(r.build.pages?.changed, FILES);
    await assertEveryPageLive();
  });

  it('2,048 commits', async (t) => {
    const specs = Array.from({ length: 2048 }, (_, c) => [long((c * 7) % 64)]);
    const r = await push(specs);
    const bytes = Buffer.byteLength(r.task.body);
    t.diagnostic(`delivery ${Buffer.byteLength(r.delivery.body)} bytes → job ${bytes} bytes; dropped: ${r.job.incomplete?.dropped.join(', ') ?? 'nothing'}`);
    assert.ok(bytes < JOB_BUDGET_BYTES, `${bytes} bytes`);
    assert.equal(r.job.build.trigger.changes.complete, false, 'GitHub lists at most 2,048 commits: the lists cannot be trusted');
    assert.equal(r.build.state, 'succeeded', JSON.stringify(r.build.error));
    assert.ok(r.compared, 'the builder asked the compare API');
    assert.equal(r.build.pages?.changed, 64);
    await assertEveryPageLive();
  });

  it('a job that fails every attempt: the destination event stays under 128 KB and fails the build', async (t) => {
    const failing = await startFcStack({
      dir,
      sourcesFile: join(dir, 'sources.yaml'),
      githubUrl: gh.url,
      dataDir: join(dir, 'failing'),
      retries: 2,
      steps: {
        fetchSources: async () => {
          throw new Error(`GitHub answered 502: ${'x'.repeat(50_000)}`);
        },
      },
    });
    try {
      // The 2,048-commit push: its job is the one nearest the budget.
      const specs = Array.from({ length: 2048 }, (_, c) => [long((c * 7) % 64)]);
      const payload = pushPayload('acme/handbook', 'main', {
        before: head,
        sha: head,
        commits: specs.map((modified, i) => ({ id: i.toString(16).padStart(40, 'c'), modified })),
      });
      payload.after = 'd'.repeat(40);
      const ack = await postDelivery(`${failing.webhookUrl}/webhook`, await signedDelivery(STACK_SECRETS.webhook, 'push', payload));
      assert.equal(ack.status, 202, JSON.stringify(ack.body));
      await failing.dispatcher.idle();
      assert.equal(failing.dispatcher.invocations.length, 3, 'the first attempt and 2 retries');
      const [event] = failing.dispatcher.destinations;
      assert.ok(event && event.bytes < MAX_ASYNC_PAYLOAD, `destination event of ${event?.bytes} bytes`);
      t.diagnostic(`job ${Buffer.byteLength(failing.fc.tasks[0]!.body)} bytes → destination event ${event.bytes} bytes (limit ${MAX_ASYNC_PAYLOAD})`);
      assert.equal(event.status, 200);
      const build = (await failing.store.get(ack.body.id))!;
      assert.equal(build.state, 'failed');
      assert.equal(build.attempts, 3);
      assert.match(build.error!.message, /GitHub answered 502.*gave up after 3 attempt/s);
    } finally {
      await failing.close();
    }
  });
});
