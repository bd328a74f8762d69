import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { openFetchCache } from '../../functions/core/fetch/fetchCache.ts';
import { fetchSources, type FetchSourcesDeps, type FetchSourcesResult } from '../../functions/core/fetch/fetchSources.ts';
import type { FetchedSource, PushChanges, SourceConfig } from '../../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { expectedDocs } from '../support/fakeGitHubCorpus.ts';

const TOKEN = 'ghp_incrementalTestToken';
const fast = { minTimeout: 1, maxTimeout: 5, randomize: false };
const FC: SourceConfig = { id: 'fc', title: 'FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] };
const FC3: SourceConfig = { id: 'fc3', title: 'FC3', repo: { owner: 'devsapp', name: 'fc3' }, ref: 'master', paths: ['docs'] };
const docs = (prefix: string, n: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`docs/${prefix}${i}.md`, `# ${prefix} ${i}\n\n内容 ${i}\n`]));
const at = (date: string) => ({ name: 'Writer', email: 'w@example.com', date });

describe('fetchSources: incremental, cached and conditional', () => {
  let gh: FakeGitHub;
  let dir: string;
  const octokit = () => createGitHubClient({ baseUrl: gh.url, token: TOKEN });
  const paths = (): string[] => gh.requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}${r.status === 304 ? ' 304' : ''}`);
  const counted = (): number => gh.requests.filter((r) => r.counted).length;
  const snapshots = (r: FetchSourcesResult): Map<string, FetchedSource> => new Map(r.fetched.map((f) => [f.source.id, f]));
  let run: (sources: SourceConfig[], deps?: Partial<FetchSourcesDeps>) => Promise<FetchSourcesResult>;

  /** The fetched source equals git at its head: files, bytes and last commits. */
  const assertMatchesGit = async (got: FetchedSource): Promise<void> => {
    const truth = await expectedDocs(gh, got.source);
    assert.equal(got.sha, truth.sha);
    assert.deepEqual(
      got.files.map((f) => f.path),
      [...truth.files.keys()].sort(),
    );
    for (const f of got.files) {
      assert.equal(Buffer.from(f.content).toString(), truth.files.get(f.path)!.content.toString(), f.path);
      assert.deepEqual(
        [f.lastCommit?.sha, f.lastCommit?.date],
        [truth.files.get(f.path)!.lastCommit.sha, truth.files.get(f.path)!.lastCommit.date],
        `last commit of ${f.path}`,
      );
    }
  };

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    dir = await mkdtemp(join(tmpdir(), 'fetch-incremental-'));
    await gh.createRepo('devsapp', 'fc', {}, { defaultBranch: 'main' });
    await gh.commit('devsapp', 'fc', {
      files: { ...docs('p', 12), 'docs/guide/start.md': '# Start\n', 'src/a.ts': '1\n' },
      author: at('2024-01-01T00:00:00Z'),
    });
    await gh.commit('devsapp', 'fc', { files: { 'docs/p3.md': '# p3 v2\n' }, author: at('2024-02-01T00:00:00Z') });
    await gh.createRepo('devsapp', 'fc3', {}, { defaultBranch: 'master' });
    await gh.commit('devsapp', 'fc3', { files: docs('q', 3), author: at('2024-03-01T00:00:00Z') });
    run = async (sources, deps = {}) => {
      gh.requests.length = 0;
      const cache = await openFetchCache(join(dir, 'cache'));
      const result = await fetchSources(sources, { octokit: octokit(), cache, github: { retry: fast }, ...deps });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.requests, { total: gh.requests.length, counted: counted() }, 'fetchSources counts what GitHub saw');
      return result;
    };
  });
  beforeEach(() => {
    gh.requests.length = 0;
  });
  after(async () => {
    await gh.close();
    await rm(dir, { recursive: true, force: true });
  });

  let last: Map<string, FetchedSource>;

  test('a cold fetch is one tarball per source plus one GraphQL query for every last commit', async () => {
    const r = await run([FC, FC3]);
    assert.deepEqual(paths().sort(), [
      'GET /_codeload/devsapp/fc/legacy.tar.gz/refs/heads/main',
      'GET /_codeload/devsapp/fc3/legacy.tar.gz/refs/heads/master',
      'GET /repos/devsapp/fc/tarball',
      'GET /repos/devsapp/fc3/tarball/master',
      'POST /graphql',
    ]);
    assert.equal(counted(), 3);
    assert.deepEqual(
      r.fetched.map((f) => [f.source.id, f.ref]),
      [
        ['fc', 'main'],
        ['fc3', 'master'],
      ],
    );
    for (const f of r.fetched) await assertMatchesGit(f);
    assert.deepEqual(
      r.stats.map((s) => s.mode),
      ['cold', 'cold'],
    );
    last = snapshots(r);
  });

  test('nothing changed: one conditional lookup per source, all 304, none counted', async () => {
    const r = await run([FC, FC3], { previous: last });
    assert.deepEqual(paths().sort(), ['GET /repos/devsapp/fc/commits/main 304', 'GET /repos/devsapp/fc3/commits/master 304']);
    assert.equal(counted(), 0);
    assert.deepEqual(r.fetched, [...last.values()]);
    assert.deepEqual(
      r.stats.map((s) => s.mode),
      ['unchanged', 'unchanged'],
    );
  });

  test('a push with complete lists reads only its changed files, at the pushed commit', async () => {
    const before = last.get('fc')!.sha;
    const after = await gh.commit('devsapp', 'fc', {
      files: { 'docs/p1.md': '# p1 changed\n', 'docs/new.md': '# New\n', 'src/a.ts': '2\n', 'README.md': '# not docs\n' },
      delete: ['docs/p2.md'],
      author: at('2024-04-01T10:00:00Z'),
    });
    const changes: PushChanges = {
      before,
      after,
      added: ['docs/new.md', 'README.md'],
      modified: ['docs/p1.md', 'src/a.ts'],
      removed: ['docs/p2.md'],
      complete: true,
      forced: false,
      commits: [
        { id: after, timestamp: '2024-04-01T10:00:00Z', author: 'Writer', paths: ['docs/new.md', 'README.md', 'docs/p1.md', 'src/a.ts', 'docs/p2.md'] },
      ],
    };
    const r = await run([FC], { previous: last, changes: new Map([['fc', changes]]) });
    assert.deepEqual(paths().sort(), ['GET /repos/devsapp/fc/contents/docs%2Fnew.md', 'GET /repos/devsapp/fc/contents/docs%2Fp1.md']);
    await assertMatchesGit(r.fetched[0]!);
    assert.equal(r.stats[0]!.mode, 'push');
    last.set('fc', r.fetched[0]!);
  });

  test('a push that does not start where we are goes through the compare API', async () => {
    const skipped = await gh.commit('devsapp', 'fc', { files: { 'docs/p4.md': '# p4 missed\n' }, author: at('2024-05-01T00:00:00Z') });
    const after = await gh.commit('devsapp', 'fc', { files: { 'docs/p5.md': '# p5 pushed\n' }, author: at('2024-05-02T00:00:00Z') });
    const changes: PushChanges = {
      before: skipped,
      after,
      added: [],
      modified: ['docs/p5.md'],
      removed: [],
      complete: true,
      forced: false,
      commits: [{ id: after, timestamp: '2024-05-02T00:00:00Z', paths: ['docs/p5.md'] }],
    };
    const r = await run([FC], { previous: last, changes: new Map([['fc', changes]]) });
    // Where the branch is, compare, the two new blobs, one GraphQL query for p4's last commit (p5's comes from the push).
    assert.deepEqual(
      paths().filter((p) => !p.includes('/git/blobs/')),
      ['GET /repos/devsapp/fc/commits/main', `GET /repos/devsapp/fc/compare/${last.get('fc')!.sha}...${after}`, 'POST /graphql'],
    );
    assert.equal(paths().filter((p) => p.includes('/git/blobs/')).length, 2);
    await assertMatchesGit(r.fetched[0]!);
    assert.equal(r.stats[0]!.mode, 'compare');
    last.set('fc', r.fetched[0]!);
  });

  test('git renames the compare API reports are passed on (new path → old path), for redirects', async () => {
    const content = (await expectedDocs(gh, FC)).files.get('docs/p7.md')!.content.toString();
    await gh.commit('devsapp', 'fc', { files: { 'docs/guide/p7-moved.md': content }, delete: ['docs/p7.md'], author: at('2024-05-03T00:00:00Z') });
    const r = await run([FC], { previous: last });
    assert.equal(r.stats[0]!.mode, 'compare');
    assert.deepEqual(r.fetched[0]!.renames, { 'docs/guide/p7-moved.md': 'docs/p7.md' });
    await assertMatchesGit(r.fetched[0]!);
    last.set('fc', r.fetched[0]!);
  });

  test('a forced push (history rewritten) lists the tree and downloads only contents it has never seen', async () => {
    const repo = gh.repo('devsapp', 'fc');
    const base = (await repo.log(last.get('fc')!.sha, { limit: 3 }))[2]!.sha; // drop the last two commits
    const { git } = await import('../support/gitRepo.ts');
    await git(repo.dir, ['update-ref', 'refs/heads/main', base]);
    const after = await gh.commit('devsapp', 'fc', {
      files: { 'docs/p6.md': '# p6 rewritten\n', 'docs/p5.md': '# p5 pushed\n' },
      author: at('2024-06-01T00:00:00Z'),
    });
    const changes: PushChanges = { before: last.get('fc')!.sha, after, added: [], modified: ['docs/p6.md'], removed: [], complete: false, forced: true };
    const r = await run([FC], { previous: last, changes: new Map([['fc', changes]]) });
    const sent = paths();
    assert.ok(
      sent.some((p) => p.includes('/compare/')),
      'compare first: it says the history diverged',
    );
    assert.ok(sent.includes(`GET /repos/devsapp/fc/git/trees/${after}`));
    // p5's content is known (same bytes as before the rewrite), p4's old content is back in the cache: only p6 is new.
    assert.equal(sent.filter((p) => p.includes('/git/blobs/')).length, 1);
    await assertMatchesGit(r.fetched[0]!);
    assert.equal(r.stats[0]!.mode, 'tree');
    last.set('fc', r.fetched[0]!);
  });

  test('after a restart without snapshots the persistent cache still makes a rebuild free', async () => {
    const r = await run([FC, FC3]);
    assert.deepEqual(paths().sort(), ['GET /repos/devsapp/fc/commits/main 304', 'GET /repos/devsapp/fc3/commits/master 304']);
    for (const f of r.fetched) await assertMatchesGit(f);
    const blobs = await readdir(join(dir, 'cache', 'blobs'));
    assert.ok(blobs.length > 0 && blobs.every((b) => /^[0-9a-f]{2}$/.test(b)), 'blobs stored by sha: blobs/ab/cdef…');
  });

  test('full: every cache ignored, everything downloaded again, nothing conditional', async () => {
    const r = await run([FC, FC3], { full: true, previous: last });
    assert.equal(paths().filter((p) => p.includes('/tarball')).length, 2);
    assert.ok(gh.requests.every((r) => r.status !== 304));
    for (const f of r.fetched) await assertMatchesGit(f);
  });

  test('push lists that GitHub contradicts are not trusted; lastUpdated none asks no GraphQL', async () => {
    const prev = (await run([FC3], { lastUpdated: 'none' })).fetched[0]!;
    const after = await gh.commit('devsapp', 'fc3', { branch: 'master', files: { 'docs/q1.md': '# q1 v2\n' } });
    const lying: PushChanges = { before: prev.sha, after, added: ['docs/ghost.md'], modified: ['docs/q1.md'], removed: [], complete: true, forced: false };
    gh.requests.length = 0;
    const r = await run([FC3], { previous: new Map([['fc3', prev]]), changes: new Map([['fc3', lying]]), lastUpdated: 'none' });
    assert.ok(paths().some((p) => p.endsWith('contents/docs%2Fghost.md')));
    assert.ok(
      paths().some((p) => p.includes('/compare/')),
      'fell back to the comparison',
    );
    assert.ok(!paths().includes('POST /graphql'));
    assert.equal(Buffer.from(r.fetched[0]!.files.find((f) => f.path === 'docs/q1.md')!.content).toString(), '# q1 v2\n');
    assert.equal(r.fetched[0]!.files.length, 3);
  });

  test('a comparison cut at 300 files is not trusted: tree listing, then one tarball for the many unknown files', async () => {
    const BIG: SourceConfig = { id: 'big', title: 'Big', repo: { owner: 'devsapp', name: 'big' }, paths: ['docs'] };
    await gh.createRepo('devsapp', 'big', docs('b', 310));
    const prev = (await run([BIG], { lastUpdated: 'none' })).fetched[0]!;
    const after = await gh.commit('devsapp', 'big', { files: Object.fromEntries(Object.keys(docs('b', 310)).map((p) => [p, `# ${p} v2\n`])) });
    gh.requests.length = 0;
    const changes: PushChanges = { before: prev.sha, after, added: [], modified: [], removed: [], complete: false, forced: false };
    const r = await run([BIG], { previous: new Map([['big', prev]]), changes: new Map([['big', changes]]), lastUpdated: 'none' });
    assert.deepEqual(paths(), [
      'GET /repos/devsapp/big/commits/main',
      `GET /repos/devsapp/big/compare/${prev.sha}...${after}`,
      `GET /repos/devsapp/big/git/trees/${after}`,
      `GET /repos/devsapp/big/tarball/${after}`,
      `GET /_codeload/devsapp/big/legacy.tar.gz/${after}`,
    ]);
    assert.equal(r.fetched[0]!.files.length, 310);
    assert.ok(r.fetched[0]!.files.every((f) => Buffer.from(f.content).toString().endsWith(' v2\n')));
  });

  test('the default branch was renamed: the rebuild starts afresh from the new default branch', async () => {
    const prev = (await run([FC])).fetched[0]!;
    await gh.repo('devsapp', 'fc').renameDefaultBranch('trunk');
    gh.requests.length = 0;
    const r = await run([FC], { previous: new Map([['fc', prev]]) });
    assert.equal(r.fetched[0]!.ref, 'trunk');
    assert.equal(r.fetched[0]!.sha, prev.sha);
    assert.deepEqual(r.fetched[0]!.files, prev.files);
    assert.deepEqual(paths(), [
      'GET /repos/devsapp/fc/commits/main',
      'GET /repos/devsapp/fc/tarball',
      'GET /_codeload/devsapp/fc/legacy.tar.gz/refs/heads/trunk',
    ]);
    await gh.repo('devsapp', 'fc').renameDefaultBranch('main');
  });

  test('a cancelled fetch rejects with the reason instead of reporting sources as failed', async () => {
    gh.inject({ kind: 'hang', path: /\/tarball/ });
    const controller = new AbortController();
    const started = fetchSources([FC], { octokit: octokit(), full: true, signal: controller.signal });
    while (!gh.requests.some((r) => r.fault === 'hang')) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('build cancelled'));
    await assert.rejects(started, /build cancelled/);
  });

  test('a push handled after a newer state was fetched never takes the source back', async () => {
    const old = (await run([FC3])).fetched[0]!;
    const s1 = await gh.commit('devsapp', 'fc3', { branch: 'master', files: { 'docs/q2.md': '# q2 v2\n' } });
    const s2 = await gh.commit('devsapp', 'fc3', { branch: 'master', files: { 'docs/q2.md': '# q2 v3\n' } });
    const newer = (await run([FC3], { previous: new Map([['fc3', old]]) })).fetched[0]!;
    assert.equal(newer.sha, s2);
    gh.requests.length = 0;
    const late: PushChanges = { before: old.sha, after: s1, added: [], modified: ['docs/q2.md'], removed: [], complete: true, forced: false };
    const r = await run([FC3], { previous: new Map([['fc3', newer]]), changes: new Map([['fc3', late]]) });
    assert.equal(r.fetched[0]!.sha, s2);
    assert.equal(Buffer.from(r.fetched[0]!.files.find((f) => f.path === 'docs/q2.md')!.content).toString(), '# q2 v3\n');
    assert.deepEqual(paths(), ['GET /repos/devsapp/fc3/commits/master 304']);
  });

  test('a symbolic link pushed into the docs is reported, not followed', async () => {
    const prev = (await run([FC3])).fetched[0]!;
    gh.requests.length = 0;
    const after = await gh.commit('devsapp', 'fc3', { branch: 'master', files: { 'docs/link.md': { symlink: 'q0.md' } } });
    const changes: PushChanges = {
      before: prev.sha,
      after,
      added: ['docs/link.md'],
      modified: [],
      removed: [],
      complete: true,
      forced: false,
      commits: [{ id: after, timestamp: new Date().toISOString(), paths: ['docs/link.md'] }],
    };
    const r = await run([FC3], { previous: new Map([['fc3', prev]]), changes: new Map([['fc3', changes]]) });
    assert.deepEqual(r.fetched[0]!.skipped, [{ path: 'docs/link.md', reason: 'symbolic link: not followed' }]);
    assert.ok(!r.fetched[0]!.files.some((f) => f.path === 'docs/link.md'));
    assert.equal(gh.requests.length, 1);
  });
});
