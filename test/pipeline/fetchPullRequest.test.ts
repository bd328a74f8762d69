/**
 * fetchPullRequest against the fake GitHub over real HTTP: the live snapshot plus the PR's changes
 * (requests counted by the fake GitHub), renames, forks, the tarball fallbacks, retries, a gone PR,
 * and nothing written to DATA_DIR.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { GitHubReadError } from '../../functions/core/fetch/errors.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { type FetchPullRequestContext, fetchPullRequest } from '../../functions/core/pipeline/fetchPullRequest.ts';
import { saveSnapshot } from '../../functions/core/pipeline/snapshots.ts';
import type { FetchedSource, PreviewTrigger, SourceConfig } from '../../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { expectedDocs } from '../support/fakeGitHubCorpus.ts';

const TOKEN = 'ghp_previewFetchToken';
const fast = { minTimeout: 1, maxTimeout: 5, randomize: false };
const FC: SourceConfig = { id: 'fc', title: 'FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] };
const API: SourceConfig = { id: 'fc-api', title: 'FC API', repo: { owner: 'devsapp', name: 'fc' }, paths: ['api'] };
const RENAMED = '# Old\n\nThis page keeps its text when it moves, so git sees a rename.\n';

describe('fetchPullRequest', () => {
  let gh: FakeGitHub;
  let dataDir: string;
  let live: Map<string, FetchedSource>;
  let ctx: FetchPullRequestContext;

  const trigger = async (n: number, owner = 'devsapp'): Promise<PreviewTrigger> => {
    const pr = await gh.pullRequest(owner, 'fc', n);
    return {
      kind: 'preview',
      delivery: `d${n}`,
      action: 'open',
      sources: ['fc', 'fc-api'],
      pr: {
        repo: 'devsapp/fc',
        number: n,
        title: pr.title,
        url: pr.html_url,
        author: pr.user.login,
        headSha: pr.head.sha,
        headRef: pr.head.ref,
        headRepo: pr.head.repo.full_name,
        baseRef: 'main',
        draft: false,
        fork: pr.head.repo.full_name !== 'devsapp/fc',
      },
    };
  };
  const sent = async <T>(fn: () => Promise<T>): Promise<{ value: T; paths: string[] }> => {
    const start = gh.requests.length;
    const value = await fn();
    return { value, paths: gh.requests.slice(start).map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`) };
  };
  const text = (f: FetchedSource, path: string) => {
    const file = f.files.find((x) => x.path === path);
    return file && Buffer.from(file.content).toString();
  };
  const snapshotBytes = async () => Promise.all(['fc', 'fc-api'].map((id) => readFile(join(dataDir, 'snapshots', `${id}.json`))));

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    dataDir = await mkdtemp(join(tmpdir(), 'fetch-pr-'));
    await gh.createRepo('devsapp', 'fc', {
      'docs/a.md': '# A\n',
      'docs/b.md': '# B\n',
      'docs/old.md': RENAMED,
      'docs/gone.md': '# Gone\n',
      'api/x.md': '# X\n',
      'src/x.ts': 'x\n',
    });
    const octokit = createGitHubClient({ baseUrl: gh.url, token: TOKEN, warn: () => {} });
    // The live build's snapshots, as fetchWithFallback saves them.
    const got = await fetchSources([FC, API], { octokit, lastUpdated: 'graphql' });
    for (const f of got.fetched) await saveSnapshot(dataDir, f);
    live = new Map(got.fetched.map((f) => [f.source.id, f]));
    ctx = { sources: [FC, API], dataDir, octokit, github: { retry: fast } };
  });
  after(async () => {
    await gh.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a one-page change costs 2 requests (files + one blob); the rest is the live copy; nothing is written', async () => {
    await gh.commit('devsapp', 'fc', { branch: 'one', files: { 'docs/a.md': '# A, better\n' } });
    const t = await trigger(await gh.openPullRequest('devsapp', 'fc', { head: 'one' }));
    const before = await snapshotBytes();
    const { value, paths } = await sent(() => fetchPullRequest(t, ctx));
    assert.deepEqual(paths, [
      `GET /repos/devsapp/fc/pulls/${t.pr.number}/files`,
      `GET /repos/devsapp/fc/git/blobs/${(await gh.repo('devsapp', 'fc').entry(t.pr.headSha, 'docs/a.md'))!.sha}`,
    ]);
    assert.equal(value.requests, 2);
    assert.equal(value.mode, 'changes');
    const [fc, api] = value.fetched as [FetchedSource, FetchedSource];
    assert.deepEqual([fc.sha, fc.ref, fc.renames], [t.pr.headSha, 'main', undefined]);
    assert.equal(text(fc, 'docs/a.md'), '# A, better\n');
    assert.equal(fc.files.find((f) => f.path === 'docs/a.md')!.lastCommit, undefined, 'a changed page has no known last commit');
    assert.deepEqual(
      fc.files.find((f) => f.path === 'docs/b.md'),
      live.get('fc')!.files.find((f) => f.path === 'docs/b.md'),
      'an unchanged page is the live one, last commit included',
    );
    assert.deepEqual(value.noDocsChange, ['fc-api']);
    assert.deepEqual(
      api.files.map((f) => f.path),
      ['api/x.md'],
    );
    assert.deepEqual(await snapshotBytes(), before, 'the live snapshots are untouched');
    assert.deepEqual((await readdir(dataDir)).sort(), ['snapshots'], 'no fetch cache, no page index');
  });

  test('edit, rename, removal, addition and a non-docs file: equals git at the head; a pure rename reads no blob', async () => {
    await gh.commit('devsapp', 'fc', {
      branch: 'many',
      files: { 'docs/b.md': '# B2\n', 'docs/moved.md': RENAMED, 'docs/new.md': '# New\n', 'src/x.ts': 'y\n', 'api/y.md': '# Y\n' },
      delete: ['docs/old.md', 'docs/gone.md'],
    });
    const t = await trigger(await gh.openPullRequest('devsapp', 'fc', { head: 'many' }));
    const { value, paths } = await sent(() => fetchPullRequest(t, ctx));
    assert.equal(paths.filter((p) => p.includes('/git/blobs/')).length, 3, 'b.md, new.md, api/y.md; not moved.md');
    assert.equal(value.requests, 4);
    for (const f of value.fetched) {
      const truth = await expectedDocs(gh, { ...f.source, ref: 'many' });
      assert.deepEqual(
        f.files.map((x) => [x.path, Buffer.from(x.content).toString()]),
        [...truth.files].map(([p, x]) => [p, x.content.toString()]).sort(),
      );
    }
    const fc = value.fetched[0]!;
    assert.deepEqual(fc.renames, { 'docs/moved.md': 'docs/old.md' });
    assert.deepEqual(fc.files.find((f) => f.path === 'docs/moved.md')!.lastCommit, live.get('fc')!.files.find((f) => f.path === 'docs/old.md')!.lastCommit);
    assert.deepEqual(value.noDocsChange, []);
  });

  test('a fork: the file list from the base repository, the blobs from the fork', async () => {
    await gh.forkRepo('devsapp', 'fc', 'bob');
    await gh.commit('bob', 'fc', { branch: 'typo', files: { 'docs/b.md': '# B (typo fixed)\n' } });
    const t = await trigger(await gh.openPullRequest('devsapp', 'fc', { head: 'typo', headOwner: 'bob' }));
    assert.equal(t.pr.headRepo, 'bob/fc');
    const { value, paths } = await sent(() => fetchPullRequest(t, ctx));
    assert.deepEqual(
      paths.map((p) => p.replace(/[0-9a-f]{40}$/, 'SHA')),
      [`GET /repos/devsapp/fc/pulls/${t.pr.number}/files`, 'GET /repos/bob/fc/git/blobs/SHA'],
    );
    assert.equal(text(value.fetched[0]!, 'docs/b.md'), '# B (typo fixed)\n');
  });

  test('a PR changing no docs: one request, every source is its live copy, and says so', async () => {
    await gh.commit('devsapp', 'fc', { branch: 'code', files: { 'src/x.ts': 'z\n' } });
    const lines: string[] = [];
    const t = await trigger(await gh.openPullRequest('devsapp', 'fc', { head: 'code' }));
    const value = await fetchPullRequest(t, { ...ctx, log: (l) => lines.push(l) });
    assert.equal(value.requests, 1);
    assert.deepEqual(value.noDocsChange, ['fc', 'fc-api']);
    assert.deepEqual(value.fetched[0]!.files, live.get('fc')!.files);
    assert.ok(lines.some((l) => /changes no file under the docs folders of fc: its preview equals the live pages/.test(l)));
  });

  test('no live snapshot: the head tarball (renames still from the file list)', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'fetch-pr-empty-'));
    try {
      const t = await trigger(2); // the "many" PR
      const { value, paths } = await sent(() => fetchPullRequest(t, { ...ctx, dataDir: empty }));
      assert.equal(value.mode, 'tarball');
      assert.deepEqual(paths.slice(0, 2), [`GET /repos/devsapp/fc/pulls/2/files`, `GET /repos/devsapp/fc/tarball/${t.pr.headSha}`]);
      assert.equal(value.requests, 3, 'file list, tarball, codeload download');
      const truth = await expectedDocs(gh, { ...FC, ref: 'many' });
      assert.deepEqual(
        value.fetched[0]!.files.map((f) => f.path),
        [...truth.files.keys()].sort(),
      );
      assert.deepEqual(value.fetched[0]!.renames, { 'docs/moved.md': 'docs/old.md' });
      assert.deepEqual(await readdir(empty), [], 'still nothing written');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  test('more than 300 changed files: the file list stops after the page past 300, then the tarball', async () => {
    const files = Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`docs/bulk/p${i}.md`, `# P${i}\n`]));
    await gh.commit('devsapp', 'fc', { branch: 'bulk', files });
    const t = await trigger(await gh.openPullRequest('devsapp', 'fc', { head: 'bulk' }));
    const { value, paths } = await sent(() => fetchPullRequest(t, ctx));
    assert.equal(value.mode, 'tarball');
    assert.equal(paths.filter((p) => p.endsWith('/files')).length, 4);
    assert.equal(value.fetched[0]!.files.length, 4 + 301);
    assert.deepEqual(value.noDocsChange, [], 'unknown from a cut list');
  });

  test('retried through the usual layer; a deleted PR or fork is a clear error', async () => {
    gh.inject({ kind: 'status', status: 502, times: 1, path: /\/pulls\/1\/files/ });
    const t = await trigger(1);
    const value = await fetchPullRequest(t, ctx);
    assert.equal(value.requests, 3);
    assert.equal(text(value.fetched[0]!, 'docs/a.md'), '# A, better\n');
    await assert.rejects(fetchPullRequest({ ...t, pr: { ...t.pr, number: 99 } }, ctx), (err: unknown) => {
      assert.ok(err instanceof GitHubReadError);
      assert.equal(err.status, 404);
      assert.match(err.message, /GitHub answered 404 for pull request devsapp\/fc#99: it was deleted, or GITHUB_TOKEN cannot read it/);
      return true;
    });
    const fork = await trigger(3);
    await assert.rejects(
      fetchPullRequest({ ...fork, pr: { ...fork.pr, headRepo: 'nobody/fc' } }, ctx),
      /404 for docs\/b\.md in the head nobody\/fc@[0-9a-f]{7} of pull request devsapp\/fc#3/,
    );
  });
});
