/**
 * Reconcile against the fake GitHub (real git repositories, real HTTP, GitHub's conditional-request
 * and rate-limit rules): a sweep over 12 unchanged repositories right after a cold sync spends no
 * counted request; a repository that moved without a delivery gets one `reconcile` build naming the
 * commits it catches up, and that build refetches only that source; a lag past STALE_AFTER is
 * notified once (DingTalk stand-in, signed) and again once when the source is back in step.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { openFetchCache } from '../../functions/core/fetch/fetchCache.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { createBuildNotifier } from '../../functions/core/notify/createBuildNotifier.ts';
import { fetchWithFallback } from '../../functions/core/pipeline/fetchWithFallback.ts';
import { planFetch } from '../../functions/core/pipeline/planFetch.ts';
import { saveSnapshot } from '../../functions/core/pipeline/snapshots.ts';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import { readFreshness } from '../../functions/core/reconcile/freshnessFile.ts';
import { freshnessStatus } from '../../functions/core/reconcile/freshnessStatus.ts';
import { reconcileSources } from '../../functions/core/reconcile/reconcileSources.ts';
import type { SourceConfig } from '../../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { seedSynthetic } from '../support/fakeGitHubCorpus.ts';
import { startNotifyStandIns } from '../support/notifyStandIns.ts';

const TOKEN = 'ghp_reconcileTest0123456789';

describe('reconcile: what GitHub never delivered', () => {
  let gh: FakeGitHub;
  let dir: string;
  let sources: SourceConfig[];
  let queue: BuildQueue;
  const octokit = () => createGitHubClient({ baseUrl: gh.url, token: TOKEN, warn: () => {} });
  const since = (from: number) => gh.requests.slice(from);

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'reconcile-'));
    sources = await seedSynthetic(gh, { repos: 12, files: 60, commits: 1 });
    queue = new BuildQueue(openDatabase(join(dir, 'queue.db')));
    // A cold sync as the first start does it (full: every cache ignored), kept as the live snapshots.
    const cold = await fetchSources(sources, { octokit: octokit(), full: true, lastUpdated: 'none' });
    assert.deepEqual(cold.failures, []);
    for (const f of cold.fetched) await saveSnapshot(dir, f);
  });
  after(async () => {
    queue?.db.close();
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sweeps 12 unchanged repositories right after a cold sync without one counted request', async () => {
    assert.ok(
      sources.some((s) => !s.ref),
      'some sources name no branch (default branch resolved by the cold sync)',
    );
    const from = gh.requests.length;
    const result = await reconcileSources({ sources, dataDir: dir, octokit: octokit(), queue, staleAfterMs: 3_600_000, publicUrl: 'http://docs.test' });
    const seen = since(from);
    assert.equal(seen.length, 12, 'one request per repository');
    assert.equal(seen.filter((r) => r.counted).length, 0, `counted: ${JSON.stringify(seen.filter((r) => r.counted))}`);
    assert.ok(
      seen.every((r) => r.status === 304 && /\/commits\//.test(r.path)),
      JSON.stringify(seen.map((r) => [r.path, r.status])),
    );
    assert.deepEqual(result.sweep.requests, { total: 12, counted: 0 });
    assert.equal(result.build, undefined);
    assert.equal(queue.list().length, 0, 'nothing queued');
    const fresh = await readFreshness(dir);
    assert.equal(Object.values(fresh.sources).filter((s) => s.head === s.live && !s.behindSince).length, 12);
  });

  it('a repository that moved without a delivery gets one reconcile build; only it is refetched', async () => {
    const moved = sources[4]!;
    const { owner, name } = moved.repo!;
    const repo = gh.repo(owner, name);
    const before = (await repo.resolve(moved.ref ?? repo.defaultBranch))!;
    const branch = moved.ref ? { branch: moved.ref } : {};
    await gh.commit(owner, name, { ...branch, files: { 'docs/missed-one.md': '# Missed one\n\nFirst push nobody delivered.\n' }, message: 'Add missed one' });
    const head = await gh.commit(owner, name, {
      ...branch,
      files: { 'docs/missed-two.md': '# Missed two\n\nSecond push.\n' },
      message: 'Add missed two\n\nbody',
    });

    const from = gh.requests.length;
    const result = await reconcileSources({ sources, dataDir: dir, octokit: octokit(), queue, staleAfterMs: 3_600_000, publicUrl: 'http://docs.test' });
    const counted = since(from).filter((r) => r.counted);
    assert.deepEqual(
      counted.map((r) => r.path.replace(/\?.*/, '')),
      [`/repos/${owner}/${name}/commits/${moved.ref ?? repo.defaultBranch}`, `/repos/${owner}/${name}/compare/${before}...${head}`],
    );

    const builds = queue.list();
    assert.equal(builds.length, 1, 'one build');
    const build = builds[0]!;
    assert.equal(build.id, result.build?.id);
    assert.equal(build.trigger.kind, 'reconcile');
    assert.ok(build.trigger.kind === 'reconcile');
    const [caught, ...others] = build.trigger.sources;
    assert.equal(others.length, 0);
    assert.equal(caught!.id, moved.id);
    assert.equal(caught!.from, before);
    assert.equal(caught!.to, head);
    assert.deepEqual(
      caught!.commits?.map((c) => c.message),
      ['Add missed one', 'Add missed two'],
    );
    assert.equal(caught!.totalCommits, 2);

    // The build fetches only the moved source, the others come from their snapshots untouched.
    const plan = planFetch(build, sources);
    assert.deepEqual([...plan.wanted], [moved.id]);
    const cache = await openFetchCache(join(dir, 'cache'));
    const states = await fetchWithFallback(sources, plan, {
      dataDir: dir,
      log: () => {},
      fetchSources: (list, o) => fetchSources(list, { octokit: octokit(), cache, lastUpdated: 'none', ...o }),
    });
    const fetched = [...states.values()].filter((s) => s.outcome.fetched).map((s) => s.outcome.id);
    assert.deepEqual(fetched, [moved.id]);
    const state = states.get(moved.id)!;
    assert.equal(state.fetched.sha, head);
    assert.equal(state.outcome.previousSha, before);
    assert.ok(state.fetched.files.some((f) => f.path === 'docs/missed-two.md'));

    // A second sweep while that build is still queued leaves the source to it.
    const again = await reconcileSources({ sources, dataDir: dir, octokit: octokit(), queue, staleAfterMs: 3_600_000, publicUrl: 'http://docs.test' });
    assert.equal(again.build, undefined);
    assert.deepEqual(again.covered, []); // the snapshot was brought up to date by the fetch above
    assert.equal(queue.list().length, 1);
  });

  it('a source lagging past STALE_AFTER is notified once, and once more when it is back in step', async (t) => {
    const { robot, config } = await startNotifyStandIns(t, {
      dingSecret: 'SECreconcile',
      dingToken: 'tok-r',
      smtpPass: 'pw',
      env: { PUBLIC_URL: 'https://docs.example.com' },
    });
    const notifier = createBuildNotifier({ config, sources, secrets: [], log: () => {} });
    const lagging = sources[7]!;
    const { owner, name } = lagging.repo!;
    await gh.commit(owner, name, { ...(lagging.ref ? { branch: lagging.ref } : {}), files: { 'docs/later.md': '# Later\n' }, message: 'Later' });
    let clock = Date.now();
    // Every build stays queued (nothing runs them), so the source stays behind while time passes.
    const busy = { enqueue: queue.enqueue.bind(queue), list: () => [] };
    const sweep = () =>
      reconcileSources({
        sources,
        dataDir: dir,
        octokit: octokit(),
        queue: busy,
        staleAfterMs: 60_000,
        publicUrl: 'https://docs.example.com',
        notice: (s) => notifier.notice!(s),
        now: () => clock,
      });
    await sweep();
    assert.equal(robot.messages.length, 0, 'not stale yet');
    clock += 61_000;
    await sweep();
    clock += 61_000;
    await sweep();
    assert.equal(robot.messages.length, 1, 'notified once');
    assert.match(robot.messages[0]!.title ?? '', new RegExp(`stale: ${lagging.id}`));
    assert.match(robot.messages[0]!.text, /site has [0-9a-f]{7}, branch is at [0-9a-f]{7}, behind for 1 min 1 s/);

    const status = await freshnessStatus({ sources, dataDir: dir, builds: [], reconcileEveryMs: 300_000, staleAfterMs: 60_000, now: clock });
    const row = status.sources.find((s) => s.id === lagging.id)!;
    assert.equal(row.behind, true);
    assert.equal(row.stale, true);
    assert.equal(row.lagMs, 122_000);

    // Caught up (its snapshot now at the head): one "fresh again" message, then silence.
    const cache = await openFetchCache(join(dir, 'cache'));
    const got = await fetchSources([lagging], { octokit: octokit(), cache, lastUpdated: 'none' });
    await saveSnapshot(dir, got.fetched[0]!);
    clock += 61_000;
    await sweep();
    await sweep();
    assert.equal(robot.messages.length, 2);
    assert.match(robot.messages[1]!.title ?? '', new RegExp(`fresh again: ${lagging.id}`));
  });
});
