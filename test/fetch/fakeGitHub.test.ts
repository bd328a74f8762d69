import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { git } from '../support/gitRepo.ts';

const TOKEN = 'ghp_fakeTokenForTests0123456789';
const auth = { authorization: `token ${TOKEN}` };

describe('fake GitHub', () => {
  let gh: FakeGitHub;
  let sha: string;
  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    sha = await gh.createRepo('devsapp', 'fc', { 'docs/readme.md': '# FC\n', 'docs/命令/部署.md': '# 部署\n', 'src/index.ts': 'export {}\n' });
  });
  after(() => gh.close());

  test('serves real git objects: commit, tree and blob shas are what git computes', async () => {
    const dir = gh.repo('devsapp', 'fc').dir;
    assert.equal(sha, (await git(dir, ['rev-parse', 'refs/heads/main'])).toString().trim());
    const commit = (await (await fetch(`${gh.url}/repos/devsapp/fc/commits/main`, { headers: auth })).json()) as {
      sha: string;
      commit: { tree: { sha: string } };
    };
    assert.equal(commit.sha, sha);
    const tree = (await (await fetch(`${gh.url}/repos/devsapp/fc/git/trees/${sha}?recursive=1`, { headers: auth })).json()) as {
      sha: string;
      truncated: boolean;
      tree: Array<{ path: string; sha: string; type: string; mode: string; size?: number }>;
    };
    assert.equal(tree.sha, commit.commit.tree.sha);
    assert.equal(tree.truncated, false);
    const lsTree = (await git(dir, ['ls-tree', '-r', '-z', sha])).toString().split('\0').filter(Boolean);
    const blobs = tree.tree.filter((e) => e.type === 'blob');
    assert.deepEqual(blobs.map((e) => `${e.mode} blob ${e.sha}\t${e.path}`).sort(), lsTree.sort());
    const deploy = blobs.find((e) => e.path === 'docs/命令/部署.md')!;
    assert.equal(deploy.size, Buffer.byteLength('# 部署\n'));
    const blob = (await (await fetch(`${gh.url}/repos/devsapp/fc/git/blobs/${deploy.sha}`, { headers: auth })).json()) as { content: string; encoding: string };
    assert.equal(blob.encoding, 'base64');
    assert.equal(Buffer.from(blob.content, 'base64').toString(), '# 部署\n');
  });

  test("answers with GitHub's headers, errors and auth", async () => {
    const ok = await fetch(`${gh.url}/repos/DevsApp/FC`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(ok.headers.get('x-ratelimit-limit'), '5000');
    assert.match(ok.headers.get('x-ratelimit-remaining') ?? '', /^\d+$/);
    const repo = (await ok.json()) as { full_name: string; default_branch: string };
    assert.deepEqual([repo.full_name, repo.default_branch], ['devsapp/fc', 'main']);

    const missing = await fetch(`${gh.url}/repos/devsapp/nope`, { headers: auth });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { message: string }).message, 'Not Found');
    const badRef = await fetch(`${gh.url}/repos/devsapp/fc/commits/no-such-branch`, { headers: auth });
    assert.equal(badRef.status, 422);
    assert.match(((await badRef.json()) as { message: string }).message, /No commit found for SHA: no-such-branch/);
    const wrong = await fetch(`${gh.url}/repos/devsapp/fc`, { headers: { authorization: 'token wrong' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(((await wrong.json()) as { message: string }).message, 'Bad credentials');
    assert.equal((await fetch(`${gh.url}/repos/devsapp/fc`)).status, 401);
  });

  test('etag answers 304 to a conditional request, which does not count against the rate limit', async () => {
    const first = await fetch(`${gh.url}/repos/devsapp/fc/branches/main`, { headers: auth });
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const remaining = first.headers.get('x-ratelimit-remaining');
    const again = await fetch(`${gh.url}/repos/devsapp/fc/branches/main`, { headers: { ...auth, 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('x-ratelimit-remaining'), remaining);
  });

  test('lists the commits touching a path, newest first, paged with a Link header', async () => {
    const second = await gh.commit('devsapp', 'fc', {
      files: { 'docs/readme.md': '# FC v2\n' },
      message: 'Reword',
      author: { name: '张三', email: 'z@example.com', date: '2024-05-01T08:00:00Z' },
    });
    await gh.commit('devsapp', 'fc', { files: { 'src/index.ts': 'export const a = 1;\n' } });
    const res = await fetch(`${gh.url}/repos/devsapp/fc/commits?path=docs/readme.md&sha=main&per_page=1`, { headers: auth });
    const list = (await res.json()) as Array<{ sha: string; commit: { author: { name: string; date: string }; message: string } }>;
    assert.equal(list.length, 1);
    assert.equal(list[0]!.sha, second);
    assert.deepEqual(list[0]!.commit.author, { name: '张三', email: 'z@example.com', date: '2024-05-01T08:00:00Z' });
    assert.match(res.headers.get('link') ?? '', /page=2>; rel="next"/);
  });

  test("serves GitHub's tarball: a redirect to a gzip tar under owner-repo-sha7/", async () => {
    const res = await fetch(`${gh.url}/repos/devsapp/fc/tarball/${sha}`, { headers: auth });
    assert.equal(res.status, 200);
    assert.ok(res.redirected);
    assert.equal(res.headers.get('content-type'), 'application/x-gzip');
    const dir = mkdtempSync(join(tmpdir(), 'fake-gh-tar-'));
    try {
      writeFileSync(join(dir, 'a.tgz'), Buffer.from(await res.arrayBuffer()));
      const names = execFileSync('tar', ['-tzf', join(dir, 'a.tgz')])
        .toString()
        .trim()
        .split('\n');
      assert.ok(names.includes(`devsapp-fc-${sha.slice(0, 7)}/docs/命令/部署.md`), names.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('injected faults hit the matching requests only, then it answers normally', async () => {
    gh.inject({ kind: 'status', status: 502, path: /\/branches\//, times: 2 });
    assert.equal((await fetch(`${gh.url}/repos/devsapp/fc`, { headers: auth })).status, 200);
    assert.equal((await fetch(`${gh.url}/repos/devsapp/fc/branches/main`, { headers: auth })).status, 502);
    assert.equal((await fetch(`${gh.url}/repos/devsapp/fc/branches/main`, { headers: auth })).status, 502);
    assert.equal((await fetch(`${gh.url}/repos/devsapp/fc/branches/main`, { headers: auth })).status, 200);
    gh.inject({ kind: 'reset' });
    await assert.rejects(fetch(`${gh.url}/repos/devsapp/fc`, { headers: auth }), /fetch failed/);
    gh.inject({ kind: 'secondary-rate-limit', status: 429, retryAfter: 7 });
    const limited = await fetch(`${gh.url}/repos/devsapp/fc`, { headers: auth });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.match(((await limited.json()) as { message: string }).message, /secondary rate limit/);
    assert.equal(gh.pendingFaults(), 0);
    assert.equal(gh.requests.at(-1)?.fault, 'secondary-rate-limit');
  });

  test('enforces the hourly rate limit (60 without a token)', async () => {
    const anon = await startFakeGitHub({ rateLimit: 2 });
    try {
      await anon.createRepo('o', 'r', { 'a.md': 'a' });
      assert.equal((await fetch(`${anon.url}/repos/o/r`)).status, 200);
      assert.equal((await fetch(`${anon.url}/repos/o/r`)).status, 200);
      const over = await fetch(`${anon.url}/repos/o/r`);
      assert.equal(over.status, 403);
      assert.equal(over.headers.get('x-ratelimit-remaining'), '0');
      assert.match(((await over.json()) as { message: string }).message, /API rate limit exceeded/);
    } finally {
      await anon.close();
    }
    const defaults = await startFakeGitHub();
    try {
      assert.equal((await fetch(`${defaults.url}/rate_limit`)).headers.get('x-ratelimit-limit'), '60');
    } finally {
      await defaults.close();
    }
  });
});
