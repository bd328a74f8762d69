import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FetchSourcesResult } from '../../functions/core/fetch/fetchSources.ts';
import type { FetchedSource, PushChanges } from '../../functions/core/types.ts';
import type { FakeGitHub } from '../support/fakeGitHub.ts';
import { expectedDocs } from '../support/fakeGitHubCorpus.ts';
import { at, FC, FC3, type IncrementalFixture, useIncrementalFixture } from '../support/incrementalFixture.ts';

describe('fetchSources: incremental, cached and conditional', () => {
  let gh: FakeGitHub;
  let dir: string;
  let paths: IncrementalFixture['paths'];
  let counted: IncrementalFixture['counted'];
  let run: IncrementalFixture['run'];
  useIncrementalFixture((f) => ({ gh, dir, paths, counted, run } = f));
  const snapshots = (r: FetchSourcesResult): Map<string, FetchedSource> => new Map(r.fetched.map((f) => [f.source.id, f]));

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
});
