import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { SourceConfig } from '../../functions/core/types.ts';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { GitHubReadError } from '../../functions/core/fetch/errors.ts';
import { fetchGitHubSource, type FetchGitHubOptions } from '../../functions/core/fetch/fetchGitHubSource.ts';
import { startFakeGitHub, type FakeGitHub, type FileSpec } from '../support/fakeGitHub.ts';

const TOKEN = 'ghp_fetchTestToken';
const fast = { minTimeout: 1, maxTimeout: 5, randomize: false };
const source = (paths: string[], extra: Partial<SourceConfig> = {}): SourceConfig => ({
  id: 'fc',
  title: 'FC',
  repo: { owner: 'devsapp', name: 'fc' },
  paths,
  ...extra,
});
const text = (files: Array<{ path: string; content: Uint8Array }>): Record<string, string> =>
  Object.fromEntries(files.map((f) => [f.path, new TextDecoder().decode(f.content)]));

const FILES: Record<string, FileSpec> = {
  'README.md': '# Serverless Devs FC\n',
  'package.json': '{}\n',
  'docs/readme.md': '# FC 组件\n',
  'docs/command/deploy.md': '# deploy\n',
  'docs/命令/部署.md': '---\ntitle: 部署\n---\n# 部署 🚀\n',
  'docs/guide.markdown': '# Guide\n',
  'docs/UPPER.MD': '# Upper\n',
  'docs/image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]),
  'docs-old/legacy.md': '# not under docs/\n',
  'examples/zh/start.md': '# 开始\n',
  'examples/en/start.md': '# Start\n',
  'docs/alias.md': { symlink: 'readme.md' },
  'docs/vendor': { submodule: '0123456789abcdef0123456789abcdef01234567' },
};

describe('fetchGitHubSource against the fake GitHub', () => {
  let gh: FakeGitHub;
  let head: string;
  const octokit = (token = TOKEN) => createGitHubClient({ baseUrl: gh.url, token });
  const opts = (extra: Partial<FetchGitHubOptions> = {}): FetchGitHubOptions => ({ octokit: octokit(), retry: fast, ...extra });
  const calls = (path: RegExp): number => gh.requests.filter((r) => path.test(r.path)).length;

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    head = await gh.createRepo('devsapp', 'fc', FILES, { defaultBranch: 'master' });
  });
  beforeEach(() => {
    assert.equal(gh.pendingFaults(), 0, 'a previous test left faults unused');
    gh.requests.length = 0;
  });
  after(() => gh.close());

  test("reads the default branch's markdown under docs/, with real shas and Chinese names", async () => {
    const got = await fetchGitHubSource(source(['docs']), opts());
    assert.equal(got.ref, 'master');
    assert.equal(got.sha, head);
    assert.deepEqual(text(got.files), {
      'docs/UPPER.MD': '# Upper\n',
      'docs/command/deploy.md': '# deploy\n',
      'docs/guide.markdown': '# Guide\n',
      'docs/readme.md': '# FC 组件\n',
      'docs/命令/部署.md': '---\ntitle: 部署\n---\n# 部署 🚀\n',
    });
    assert.deepEqual(
      got.skipped.map((s) => [s.path, s.reason.split(':')[0]]),
      [
        ['docs/alias.md', 'symbolic link'],
        ['docs/vendor', 'git submodule'],
      ],
    );
    assert.ok(gh.requests.every((r) => r.userAgent?.startsWith('docs-sync ')));
    // The API is called with the token; the tarball download it redirects to needs none (its URL is the credential).
    assert.ok(gh.requests.every((r) => (r.path.startsWith('/_codeload/') ? r.auth === undefined : r.auth === 'token')));
  });

  test('"." is the whole repository; several folders are read together and nothing else', async () => {
    const root = await fetchGitHubSource(source(['.']), opts());
    assert.deepEqual(Object.keys(text(root.files)), [
      'README.md',
      'docs-old/legacy.md',
      'docs/UPPER.MD',
      'docs/command/deploy.md',
      'docs/guide.markdown',
      'docs/readme.md',
      'docs/命令/部署.md',
      'examples/en/start.md',
      'examples/zh/start.md',
    ]);
    const two = await fetchGitHubSource(source(['docs/命令', 'examples/zh']), opts());
    assert.deepEqual(Object.keys(text(two.files)), ['docs/命令/部署.md', 'examples/zh/start.md']);
  });

  test('an explicit ref (branch or sha) is read at that commit', async () => {
    const v2 = await gh.commit('devsapp', 'fc', {
      branch: 'v2',
      files: { 'docs/readme.md': '# FC v2\n', 'docs/new.md': '# New\n' },
      delete: ['docs/command/deploy.md'],
    });
    const got = await fetchGitHubSource(source(['docs'], { ref: 'v2' }), opts());
    assert.deepEqual([got.ref, got.sha], ['v2', v2]);
    assert.equal(text(got.files)['docs/readme.md'], '# FC v2\n');
    assert.ok('docs/new.md' in text(got.files) && !('docs/command/deploy.md' in text(got.files)));
    assert.equal(calls(/^\/repos\/devsapp\/fc$/), 0, 'no need to ask for the default branch');
    const old = await fetchGitHubSource(source(['docs'], { ref: head }), opts());
    assert.equal(old.sha, head);
    assert.equal(text(old.files)['docs/readme.md'], '# FC 组件\n');
  });

  test('tarball and blob-by-blob reads give the same files; the tarball takes one download', async () => {
    const viaTarball = await fetchGitHubSource(source(['.']), opts({ strategy: 'tarball' }));
    assert.equal(calls(/\/tarball(\/|$)/), 1);
    assert.equal(calls(/\/git\/blobs\//), 0);
    gh.requests.length = 0;
    const viaBlobs = await fetchGitHubSource(source(['.']), opts({ strategy: 'blobs', concurrency: 3 }));
    assert.equal(calls(/\/tarball(\/|$)/), 0);
    assert.equal(calls(/\/git\/blobs\//), viaBlobs.files.length);
    assert.deepEqual(viaTarball, viaBlobs);
    gh.requests.length = 0;
    await fetchGitHubSource(source(['examples']), opts()); // auto: a whole read is one tarball, however few files
    assert.deepEqual([calls(/\/tarball(\/|$)/), calls(/\/git\/blobs\//), gh.requests.filter((r) => r.counted).length], [1, 0, 1]);
  });

  test('files over 5 MB are skipped and reported, not downloaded', async () => {
    await gh.createRepo('devsapp', 'big', { 'docs/a.md': '# A\n', 'docs/huge.md': 'x'.repeat(5 * 1024 * 1024 + 1) });
    for (const strategy of ['tarball', 'blobs'] as const) {
      const got = await fetchGitHubSource(source(['docs'], { repo: { owner: 'devsapp', name: 'big' } }), opts({ strategy }));
      assert.deepEqual(Object.keys(text(got.files)), ['docs/a.md']);
      assert.deepEqual(
        got.skipped.map((s) => s.path),
        ['docs/huge.md'],
      );
      assert.match(got.skipped[0]!.reason, /^5\.00 MB is over the 5 MB limit for one document$/);
    }
  });

  test('a truncated tree listing falls back to reading the tarball', async () => {
    const small = await startFakeGitHub({ token: TOKEN, maxTreeEntries: 3 });
    try {
      await small.createRepo('devsapp', 'fc', FILES);
      const got = await fetchGitHubSource(source(['docs']), {
        octokit: createGitHubClient({ baseUrl: small.url, token: TOKEN }),
        retry: fast,
        strategy: 'blobs',
      });
      assert.equal(got.files.length, 5);
      assert.deepEqual(
        got.skipped.map((s) => s.path),
        ['docs/alias.md', 'docs/vendor'],
      );
    } finally {
      await small.close();
    }
  });

  test('files the tarball leaves out (export-ignore) are read as blobs', async () => {
    const files: Record<string, FileSpec> = { '.gitattributes': 'docs/internal.md export-ignore\n' };
    for (let i = 0; i < 8; i++) files[`docs/p${i}.md`] = `# ${i}\n`;
    files['docs/internal.md'] = '# Internal\n';
    await gh.createRepo('devsapp', 'attrs', files);
    const got = await fetchGitHubSource(source(['docs'], { repo: { owner: 'devsapp', name: 'attrs' } }), opts());
    assert.equal(calls(/\/tarball(\/|$)/), 1);
    assert.equal(calls(/\/git\/blobs\//), 1);
    assert.equal(text(got.files)['docs/internal.md'], '# Internal\n');
    assert.equal(got.files.length, 9);
  });

  test('cut-short and reset downloads are retried and never trusted', async () => {
    gh.inject({ kind: 'truncate', path: /\/git\/blobs\//, times: 2 });
    gh.inject({ kind: 'truncate', path: /\/git\/trees\// });
    const blobs = await fetchGitHubSource(source(['docs']), opts({ strategy: 'blobs' }));
    assert.equal(text(blobs.files)['docs/命令/部署.md'], '---\ntitle: 部署\n---\n# 部署 🚀\n');
    assert.equal(calls(/\/git\/blobs\//), 5 + 2);

    gh.inject({ kind: 'truncate', path: /_codeload/ });
    gh.inject({ kind: 'reset', path: /_codeload/ });
    gh.inject({ kind: 'status', status: 502, path: /\/tarball(\/|$)/ });
    const tar = await fetchGitHubSource(source(['docs']), opts({ strategy: 'tarball' }));
    assert.deepEqual(tar.files, blobs.files);
  });

  test('a wrong token, unknown repository, unknown ref or missing folder fails at once with the fix', async () => {
    const bad = await fetchGitHubSource(source(['docs']), opts({ octokit: octokit('ghp_wrong') })).catch((e: unknown) => e);
    assert.ok(bad instanceof GitHubReadError);
    assert.match(bad.message, /401 .*GITHUB_TOKEN/);

    gh.requests.length = 0;
    const missing = await fetchGitHubSource(source(['docs'], { repo: { owner: 'devsapp', name: 'nope' } }), opts()).catch((e: unknown) => e);
    assert.match(String(missing), /GitHub answered 404 for devsapp\/nope .*repository or branch not found — check `repo`\/`ref` in the sources file/);
    assert.deepEqual(
      gh.requests.map((r) => r.status),
      [404, 404],
      'no retries: the tarball, then the lookup that says why',
    );

    const ref = await fetchGitHubSource(source(['docs'], { ref: 'mian' }), opts()).catch((e: unknown) => e);
    assert.match(String(ref), /422 .*No commit found for SHA: mian — check that `ref`/);
    const refBlobs = await fetchGitHubSource(source(['docs'], { ref: 'mian' }), opts({ strategy: 'blobs' })).catch((e: unknown) => e);
    assert.match(String(refBlobs), /422 .*No commit found for SHA: mian — check that `ref`/);

    const folder = await fetchGitHubSource(source(['doc', 'docs']), opts()).catch((e: unknown) => e);
    assert.match(
      String(folder),
      /devsapp\/fc@master has no folder "doc" — fix `paths` of source "fc".*folders at the repository root: docs, docs-old, examples/,
    );

    await gh.createRepo('devsapp', 'empty', {});
    const empty = await fetchGitHubSource(source(['.'], { repo: { owner: 'devsapp', name: 'empty' } }), opts()).catch((e: unknown) => e);
    assert.match(String(empty), /409 .*Git Repository is empty.*no commits yet/);
  });
});
