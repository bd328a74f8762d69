import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import type { PushChanges, SourceConfig } from '../../functions/core/types.ts';
import type { FakeGitHub } from '../support/fakeGitHub.ts';
import { docs, FC, FC3, type IncrementalFixture, useIncrementalFixture } from '../support/incrementalFixture.ts';

describe('fetchSources: incremental, cached and conditional', () => {
  let gh: FakeGitHub;
  let octokit: IncrementalFixture['octokit'];
  let paths: IncrementalFixture['paths'];
  let run: IncrementalFixture['run'];
  useIncrementalFixture((f) => ({ gh, octokit, paths, run } = f));

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
