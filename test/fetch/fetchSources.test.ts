import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { parseSources } from '../../functions/core/config/loadSources.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';

describe('fetchSources', () => {
  let gh: FakeGitHub;
  let dir: string;
  before(async () => {
    gh = await startFakeGitHub({ token: 't' });
    await gh.createRepo('devsapp', 'fc', { 'docs/readme.md': '# FC\n', 'docs/deploy.md': '# Deploy\n' });
    await gh.createRepo('devsapp', 'fc3', { 'docs/readme.md': '# FC3\n' }, { defaultBranch: 'master' });
    dir = await mkdtemp(join(tmpdir(), 'fetch-sources-'));
    await mkdir(join(dir, 'guide'));
    await writeFile(join(dir, 'guide', 'index.md'), '# 指南\n');
  });
  after(async () => {
    await gh.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('fetches GitHub and local sources; a failing source is reported with its fix, the others still come back', async () => {
    const sources = parseSources(
      {
        sources: [
          { id: 'fc', title: 'FC', repo: 'devsapp/fc' },
          { id: 'gone', title: 'Gone', repo: 'devsapp/gone' },
          { id: 'guide', title: 'Guide', path: 'guide' },
          { id: 'fc3', title: 'FC3', repo: 'devsapp/fc3', paths: ['docs'] },
          { id: 'typo', title: 'Typo', path: 'guied' },
        ],
      },
      dir,
    );
    gh.inject({ kind: 'status', status: 502, path: /fc3/ });
    const octokit = createGitHubClient({ baseUrl: gh.url, token: 't' });
    const { fetched, failures } = await fetchSources(sources, { octokit, concurrency: 2, github: { retry: { minTimeout: 1, randomize: false } } });
    assert.deepEqual(
      fetched.map((f) => [f.source.id, f.ref, f.files.map((x) => x.path)]),
      [
        ['fc', 'main', ['docs/deploy.md', 'docs/readme.md']],
        ['guide', 'local', ['index.md']],
        ['fc3', 'master', ['docs/readme.md']],
      ],
    );
    assert.deepEqual(
      failures.map((f) => f.source),
      ['gone', 'typo'],
    );
    assert.match(failures[0]!.error, /GitHub answered 404 for devsapp\/gone .*check `repo`\/`ref` in the sources file/);
    assert.match(failures[1]!.error, /local source "typo": folder .*guied does not exist/);
  });

  test("without a token: no last-updated dates (GitHub's GraphQL API needs one), the files are all there", async () => {
    const anon = await startFakeGitHub();
    try {
      await anon.createRepo('devsapp', 'fc', { 'docs/readme.md': '# FC\n', 'docs/deploy.md': '# Deploy\n' });
      const octokit = createGitHubClient({ baseUrl: anon.url });
      const { fetched, failures, requests } = await fetchSources([{ id: 'fc', title: 'FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] }], {
        octokit,
      });
      assert.deepEqual(failures, []);
      assert.deepEqual(
        fetched[0]!.files.map((f) => [f.path, f.lastCommit]),
        [
          ['docs/deploy.md', undefined],
          ['docs/readme.md', undefined],
        ],
      );
      assert.deepEqual(
        anon.requests.map((r) => r.path),
        ['/repos/devsapp/fc/tarball', '/_codeload/devsapp/fc/legacy.tar.gz/refs/heads/main'],
      );
      assert.deepEqual(requests, { total: 2, counted: 1 });
    } finally {
      await anon.close();
    }
  });

  test('a GitHub source without a client is a reported failure, not a crash', async () => {
    const { fetched, failures } = await fetchSources([{ id: 'fc', title: 'FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] }]);
    assert.equal(fetched.length, 0);
    assert.match(failures[0]!.error, /no GitHub client/);
  });
  test('learns from GitHub which repositories are private (GraphQL isPrivate, asked with the last commits)', async () => {
    await gh.createRepo('acme', 'secret-docs', { 'docs/readme.md': '# Secret\n' }, { private: true });
    const sources = parseSources(
      {
        sources: [
          { id: 'secret', title: 'Secret', repo: 'acme/secret-docs' },
          { id: 'fc', title: 'FC', repo: 'devsapp/fc' },
        ],
      },
      dir,
    );
    const octokit = createGitHubClient({ baseUrl: gh.url, token: 't' });
    const { fetched } = await fetchSources(sources, { octokit, full: true });
    assert.deepEqual(
      fetched.map((f) => [f.source.id, f.private]),
      [
        ['secret', true],
        ['fc', false],
      ],
    );
  });
});
