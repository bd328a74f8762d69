/**
 * The orchestrator over real steps (fake GitHub over real git repos, local folders, the real
 * transform, content writer and atomic deploy). Only the Astro build is replaced, by a copy of the
 * generated content, to keep these runs fast: the real build is covered by test/build and test/e2e.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { type BuildSteps, PhaseError, runBuild } from '../../functions/core/pipeline/runBuild.ts';
import { runAttempt } from '../../functions/core/pipeline/runAttempt.ts';
import { mergeRequest } from '../../functions/core/queue/mergeRequest.ts';
import type { BuildRecord, SourceConfig, Trigger } from '../../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { fastSteps } from '../support/fastSteps.ts';

let dir: string;
let gh: FakeGitHub;
let sources: SourceConfig[];
let steps: BuildSteps;
let fetchedIds: string[][] = [];
let n = 0;

const build = (trigger: Trigger, extra: Trigger[] = []): BuildRecord => {
  const b: BuildRecord = { id: `b${++n}`, state: 'running', trigger, createdAt: new Date().toISOString(), attempts: 1, phases: {}, sources: [] };
  if (extra.length) b.request = [...extra, trigger].reduce((r, t) => mergeRequest(r, t), mergeRequest(undefined, extra[0]!));
  return b;
};
const push = (repo: string, pusher = 'alice'): Trigger => ({ kind: 'push', repo, ref: 'refs/heads/main', sha: 'f'.repeat(40), pusher, delivery: `d${n}` });
const attempt = (b: BuildRecord) =>
  runAttempt(b, (x, signal) => runBuild(x, { sources, dataDir: join(dir, 'data'), steps, signal }), { timeoutMs: 60_000, now: Date.now });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runbuild-'));
  gh = await startFakeGitHub();
  await gh.createRepo('acme', 'alpha', { 'docs/readme.md': '# Alpha\n\nv1\n' });
  await gh.createRepo('acme', 'beta', { 'docs/readme.md': '# Beta\n\nv1\n' });
  mkdirSync(join(dir, 'local'));
  writeFileSync(join(dir, 'local', 'readme.md'), '# Local\n');
  sources = [
    { id: 'alpha', title: 'Alpha', repo: { owner: 'acme', name: 'alpha' }, paths: ['docs'] },
    { id: 'beta', title: 'Beta', repo: { owner: 'acme', name: 'beta' }, paths: ['docs'] },
    { id: 'local', title: 'Local', localPath: join(dir, 'local'), paths: ['.'] },
  ];
  const octokit = createGitHubClient({ baseUrl: gh.url });
  steps = fastSteps(async (list, options) => {
    fetchedIds.push(list.map((s) => s.id));
    return fetchSources(list, { octokit, github: { retry: { retries: 1, minTimeout: 1, maxTimeout: 5 } }, ...options });
  });
});
after(async () => {
  await gh.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runBuild', () => {
  it('fetches everything the first time, then only what a push touched', async () => {
    fetchedIds = [];
    const first = await attempt(build({ kind: 'manual', full: false }));
    assert.equal(first.ok, true, JSON.stringify(first.build.error));
    assert.equal(first.build.state, 'succeeded');
    assert.deepEqual(fetchedIds, [['alpha', 'beta', 'local']]);
    assert.equal(first.build.pages!.added, 3);

    const sha = await gh.commit('acme', 'alpha', { files: { 'docs/readme.md': '# Alpha\n\nv2\n' } });
    fetchedIds = [];
    const second = await attempt(build(push('acme/alpha', 'bob')));
    assert.equal(second.build.state, 'succeeded');
    assert.deepEqual(fetchedIds, [['alpha']], 'beta and local come from their snapshots');
    const alpha = second.build.sources.find((s) => s.id === 'alpha')!;
    assert.equal(alpha.sha, sha);
    assert.ok(alpha.previousSha && alpha.previousSha !== sha, 'old → new sha');
    assert.deepEqual(alpha.authors, ['bob']);
    assert.equal(second.build.sources.find((s) => s.id === 'beta')!.fetched, false);
    assert.deepEqual(second.build.pages, { total: 3, added: 0, removed: 0, changed: 1 });
    assert.match(
      await readFile(join(dir, 'data', 'current', 'alpha.md'), 'utf8').catch(() => readFile(join(dir, 'data', 'current', 'alpha', 'index.md'), 'utf8')),
      /v2/,
    );
  });

  it('a build carrying pushes to two repositories fetches both', async () => {
    fetchedIds = [];
    const b = await attempt(build(push('acme/beta'), [push('acme/alpha')]));
    assert.equal(b.build.state, 'succeeded');
    assert.deepEqual(fetchedIds, [['alpha', 'beta']]);
  });

  it('serves a failing source from its last good copy: the build is degraded, not failed', async () => {
    rmSync(join(dir, 'local'), { recursive: true });
    const b = await attempt(build({ kind: 'manual', full: false, sources: ['local'] }));
    assert.equal(b.ok, true);
    assert.equal(b.build.state, 'degraded');
    const local = b.build.sources.find((s) => s.id === 'local')!;
    assert.equal(local.state, 'stale');
    assert.ok(local.staleSince);
    assert.match(local.error!, /local/);
    assert.equal(local.pages, 1, 'its pages are still published');
    // The landing page says so, visibly.
    const home = await readFile(join(dir, 'data', 'current', 'index.md'), 'utf8');
    const card = home.slice(home.indexOf('<li class="ds-card ds-card-stale">'));
    assert.match(
      card,
      /^<li class="ds-card ds-card-stale">\n<a class="ds-card-title" href="\/local\/">Local<\/a>\n<p class="ds-card-facts"><span>1 页<\/span><\/p>\n<p class="ds-card-stale" role="status">自 \d{4}-\d\d-\d\d \d\d:\d\d UTC 起未能更新，显示的是最近一次成功的版本。原因：.*local/,
    );
    assert.doesNotMatch(home.slice(0, home.indexOf('href="/local/"')), /未能更新/, 'only the stale source is marked');
  });

  it('leaves out a failing source with no good copy, and fails only when nothing is good', async () => {
    const broken: SourceConfig = { id: 'gone', title: 'Gone', repo: { owner: 'acme', name: 'missing' }, paths: ['docs'] };
    sources = [...sources, broken];
    const b = await attempt(build({ kind: 'manual', full: false, sources: ['gone'] }));
    assert.equal(b.build.state, 'degraded');
    assert.equal(b.build.sources.find((s) => s.id === 'gone')!.state, 'failed');
    assert.match(b.build.sources.find((s) => s.id === 'gone')!.error!, /404|not found/i);

    sources = [broken];
    const none = await attempt(build({ kind: 'manual', full: false }));
    assert.equal(none.ok, false);
    assert.equal(none.build.error!.phase, 'fetch');
    assert.match(none.build.error!.message, /no source could be fetched/);
    assert.ok(new PhaseError('fetch', 'x') instanceof Error);
  });
});

describe('runBuild housekeeping', () => {
  it('clears work folders left by an interrupted build', async () => {
    sources = [{ id: 'local', title: 'Local', localPath: join(dir, 'local'), paths: ['.'] }];
    mkdirSync(join(dir, 'local'), { recursive: true });
    writeFileSync(join(dir, 'local', 'readme.md'), '# Local\n');
    mkdirSync(join(dir, 'data', 'work', 'b-crashed', 'content'), { recursive: true });
    mkdirSync(join(dir, 'data', 'work', 'b-crashed-out'), { recursive: true });
    const b = await attempt(build({ kind: 'manual', full: false }));
    assert.equal(b.ok, true, JSON.stringify(b.build.error));
    const { readdirSync } = await import('node:fs');
    assert.deepEqual(readdirSync(join(dir, 'data', 'work')), [], 'nothing left behind');
  });
});

describe('runAttempt', () => {
  it('records a failed attempt’s phase and message with secrets removed (redact), as the FC builder and the local worker pass it', async () => {
    const build = {
      id: 'b1',
      state: 'running',
      trigger: { kind: 'manual', full: false },
      createdAt: new Date().toISOString(),
      attempts: 1,
      phases: {},
      sources: [],
    } as BuildRecord;
    const failing = async (): Promise<BuildRecord> => {
      throw new PhaseError('deploy', 'OSS refused key LTAIsecret0123 for bucket site');
    };
    const redact = (text: string) => text.replaceAll('LTAIsecret0123', '***');
    const { ok, build: after } = await runAttempt(build, failing, { timeoutMs: 60_000, now: Date.now, redact });
    assert.equal(ok, false);
    assert.deepEqual(after.error, { phase: 'deploy', message: 'OSS refused key *** for bucket site' });
    const plain = await runAttempt(structuredClone(build), failing, { timeoutMs: 60_000, now: Date.now });
    assert.match(plain.build.error!.message, /LTAIsecret0123/, 'without redact the message is kept as thrown');
  });
});
