/**
 * Whole builds (fetch → transform → write → deploy through the orchestrator) while GitHub misbehaves:
 * 20% 5xx, 10% reset connections, some hanging requests, cut-short bodies and secondary rate limits
 * with retry-after. Every build must complete with every page. Only the Astro step is replaced (by a
 * copy of the generated content) to keep it fast; the rest are the production steps, with short
 * timeouts and fast retries.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { openFetchCache } from '../../functions/core/fetch/fetchCache.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { runAttempt } from '../../functions/core/pipeline/runAttempt.ts';
import { type BuildSteps, runBuild } from '../../functions/core/pipeline/runBuild.ts';
import type { BuildRecord, SourceConfig, Trigger } from '../../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { fastSteps } from '../support/fastSteps.ts';

const REPOS = ['alpha', 'beta', 'gamma', 'delta'];
const PAGES_PER_REPO = 12;

describe('GitHub misbehaving during whole builds', () => {
  let dir: string;
  let gh: FakeGitHub;
  let steps: BuildSteps;
  let sources: SourceConfig[];
  let n = 0;
  const heads = new Map<string, string>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gh-faults-'));
    gh = await startFakeGitHub({ token: 'tok' });
    for (const r of REPOS) {
      const files: Record<string, string> = {};
      for (let i = 0; i < PAGES_PER_REPO; i++) files[`docs/page-${i}.md`] = `# ${r} page ${i}\n\nversion 0 — 中文内容 ${i}\n`;
      heads.set(r, await gh.createRepo('acme', r, files));
    }
    sources = REPOS.map((r) => ({ id: r, title: r, repo: { owner: 'acme', name: r }, paths: ['docs'] }));
    const octokit = createGitHubClient({ baseUrl: gh.url, token: 'tok' });
    const cache = await openFetchCache(join(dir, 'data', 'cache', 'github'));
    steps = fastSteps((list, options) =>
      fetchSources(list, {
        octokit,
        cache,
        ...options,
        github: { retry: { retries: 15, minTimeout: 1, maxTimeout: 10, randomize: false, timeoutMs: 1_000, maxWaitMs: 5_000 }, downloadTimeoutMs: 2_000 },
      }),
    );
  });
  after(async () => {
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (trigger: Trigger): Promise<BuildRecord> => {
    const build: BuildRecord = { id: `f${++n}`, state: 'running', trigger, createdAt: new Date().toISOString(), attempts: 1, phases: {}, sources: [] };
    const { build: done } = await runAttempt(build, (b, signal) => runBuild(b, { sources, dataDir: join(dir, 'data'), steps, signal }), {
      timeoutMs: 120_000,
      now: Date.now,
    });
    return done;
  };

  it('a cold build and a series of pushes all complete with every page', { timeout: 240_000 }, async (t) => {
    gh.faultRates({ seed: 20261121, status: 0.2, reset: 0.1, hang: 0.02, truncate: 0.03, secondaryRateLimit: 0.03, retryAfter: 1 });
    const outcomes: string[] = [];
    const cold = await run({ kind: 'manual', full: true });
    outcomes.push(`cold: ${cold.state}`);
    assert.equal(cold.state, 'succeeded', JSON.stringify(cold.error ?? cold.sources.filter((s) => s.state !== 'built')));
    assert.equal(cold.pages!.total, REPOS.length * PAGES_PER_REPO);
    for (let round = 1; round <= 6; round++) {
      const repo = REPOS[round % REPOS.length]!;
      const before = heads.get(repo)!;
      const sha = await gh.commit('acme', repo, { files: { [`docs/page-${round}.md`]: `# ${repo} page ${round}\n\nversion ${round}\n` } });
      heads.set(repo, sha);
      const changes = { before, after: sha, added: [], modified: [`docs/page-${round}.md`], removed: [], complete: true, forced: false };
      const b = await run({ kind: 'push', repo: `acme/${repo}`, ref: 'refs/heads/main', sha, pusher: 'p', delivery: `d${round}`, changes });
      outcomes.push(`push ${round} (${repo}): ${b.state}, pages ${b.pages?.total}, changed ${b.pages?.changed}`);
      assert.equal(b.state, 'succeeded', JSON.stringify(b.error ?? b.sources.filter((s) => s.state !== 'built')));
      assert.equal(b.pages!.total, REPOS.length * PAGES_PER_REPO, 'every page');
      assert.equal(b.pages!.changed, 1);
      assert.equal(b.sources.find((s) => s.id === repo)!.sha, sha);
    }
    gh.faultRates(undefined);
    const served = await readdir(join(dir, 'data', 'current'), { recursive: true });
    assert.equal(served.filter((f) => /page-\d+\.md$/.test(String(f))).length, REPOS.length * PAGES_PER_REPO);
    const faulted = gh.requests.filter((r) => r.fault).length;
    t.diagnostic(`${gh.requests.length} GitHub requests, ${faulted} answered with a fault; builds: ${outcomes.join('; ')}`);
    assert.ok(faulted >= 5, `faults were injected (${faulted})`);
  });
});
