import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';

const TOKEN = 'ghp_fakeRoutesToken';
const auth = { authorization: `token ${TOKEN}` };

describe('fake GitHub: contents, compare, sha ETags, GraphQL, random faults', () => {
  let gh: FakeGitHub;
  let first: string;
  let second: string;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gh.url}${path}`, { headers: { ...auth, ...headers } });
    const json = res.headers.get('content-type')?.startsWith('application/json');
    return { res, body: json ? ((await res.json()) as unknown) : await res.text() };
  };

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    first = await gh.createRepo('devsapp', 'fc', {
      'docs/readme.md': '# FC\n',
      'docs/命令/部署.md': '# 部署\n',
      'docs/old.md': '# Old\n',
      'docs/link.md': { symlink: 'readme.md' },
      'docs/dangling.md': { symlink: '../nowhere.md' },
      'docs/big.md': 'x'.repeat(1024 * 1024 + 1),
    });
    second = await gh.commit('devsapp', 'fc', {
      files: { 'docs/readme.md': '# FC v2\n', 'docs/moved.md': '# Old\n' },
      delete: ['docs/old.md'],
      author: { name: '李四', email: 'l@example.com', date: '2024-07-01T08:00:00Z' },
    });
  });
  after(() => gh.close());

  test('contents: a file in base64 with its blob sha, a folder as a list, links and big files like GitHub', async () => {
    const { body: file } = await get(`/repos/devsapp/fc/contents/${encodeURIComponent('docs/命令/部署.md')}?ref=${first}`);
    const f = file as { type: string; path: string; sha: string; size: number; content: string; encoding: string };
    assert.deepEqual([f.type, f.path, f.encoding, Buffer.from(f.content, 'base64').toString()], ['file', 'docs/命令/部署.md', 'base64', '# 部署\n']);
    const dir = (await get('/repos/devsapp/fc/contents/docs')).body as Array<{ name: string; type: string }>;
    assert.deepEqual(dir.map((e) => `${e.name}:${e.type}`).sort(), [
      'big.md:file',
      'dangling.md:symlink',
      'link.md:symlink',
      'moved.md:file',
      'readme.md:file',
      '命令:dir',
    ]);
    const link = (await get('/repos/devsapp/fc/contents/docs/link.md')).body as { type: string; path: string };
    assert.deepEqual([link.type, link.path], ['file', 'docs/readme.md'], 'a link to a file answers the file');
    const dangling = (await get('/repos/devsapp/fc/contents/docs/dangling.md')).body as { type: string; target: string };
    assert.deepEqual([dangling.type, dangling.target], ['symlink', '../nowhere.md']);
    const big = (await get('/repos/devsapp/fc/contents/docs/big.md')).body as { content: string; encoding: string; size: number };
    assert.deepEqual([big.content, big.encoding, big.size], ['', 'none', 1024 * 1024 + 1]);
    assert.equal((await get(`/repos/devsapp/fc/contents/docs/old.md?ref=${second}`)).res.status, 404);
  });

  test('compare: status, commits and changed files with blob shas and renames', async () => {
    const { body } = await get(`/repos/devsapp/fc/compare/${first}...${second}`);
    const c = body as {
      status: string;
      ahead_by: number;
      commits: Array<{ sha: string }>;
      files: Array<{ filename: string; status: string; sha: string; previous_filename?: string }>;
    };
    assert.deepEqual([c.status, c.ahead_by, c.commits.map((x) => x.sha)], ['ahead', 1, [second]]);
    const blob = (await gh.repo('devsapp', 'fc').entry(second, 'docs/readme.md'))!.sha;
    assert.deepEqual(
      c.files.map((f) => [f.filename, f.status, f.previous_filename]),
      [
        ['docs/moved.md', 'renamed', 'docs/old.md'],
        ['docs/readme.md', 'modified', undefined],
      ],
    );
    assert.equal(c.files[1]!.sha, blob);
    const back = (await get(`/repos/devsapp/fc/compare/${second}...${first}`)).body as { status: string; files: unknown[] };
    assert.deepEqual([back.status, back.files.length], ['behind', 0]);
    const branch = await gh.commit('devsapp', 'fc', { branch: 'side', files: { 'docs/side.md': '# Side\n' } });
    const diverged = (await get(`/repos/devsapp/fc/compare/${branch}...${first}`)).body as { status: string };
    assert.equal(diverged.status, 'behind');
    const other = await gh.commit('devsapp', 'fc', { files: { 'docs/main.md': '# Main\n' } });
    assert.equal(((await get(`/repos/devsapp/fc/compare/${branch}...${other}`)).body as { status: string }).status, 'diverged');
  });

  test('a commit lookup with the sha media type has the sha as ETag: asking with it answers 304, not counted', async () => {
    const head = (await gh.repo('devsapp', 'fc').resolve('main'))!;
    const sha = { accept: 'application/vnd.github.sha' };
    const { res } = await get('/repos/devsapp/fc/commits/main', sha);
    assert.equal(res.headers.get('etag'), `"${head}"`);
    const before = gh.requests.length;
    const again = await get('/repos/devsapp/fc/commits/main', { ...sha, 'if-none-match': `"${head}"` });
    assert.equal(again.res.status, 304);
    assert.equal(gh.requests[before]!.counted, undefined);
    assert.equal((await get('/repos/devsapp/fc/commits/main', { ...sha, 'if-none-match': `"${first}"` })).res.status, 200);
  });

  test('GraphQL: the last commit of each path, for several repositories in one query; a token is required', async () => {
    await gh.createRepo('devsapp', 'fc3', { 'docs/a.md': '# A\n' });
    const fc3 = (await gh.repo('devsapp', 'fc3').resolve('main'))!;
    const query = `query { r0: repository(owner: "devsapp", name: "fc") { c: object(oid: "${second}") { ... on Commit {
      f0: history(first: 1, path: "docs/readme.md") { nodes { oid committedDate author { name user { login } } } }
      f1: history(first: 1, path: "docs/命令/部署.md") { nodes { oid committedDate author { name user { login } } } } } } }
      r1: repository(owner: "devsapp", name: "fc3") { c: object(oid: "${fc3}") { ... on Commit { f0: history(first: 1, path: "docs/none.md") { nodes { oid committedDate author { name user { login } } } } } } }
      r2: repository(owner: "devsapp", name: "gone") { c: object(oid: "${fc3}") { ... on Commit { f0: history(first: 1, path: "a.md") { nodes { oid committedDate author { name user { login } } } } } } } }`;
    const post = (headers: Record<string, string>) =>
      fetch(`${gh.url}/graphql`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const res = await post(auth);
    assert.equal(res.headers.get('x-ratelimit-resource'), 'graphql');
    const { data, errors } = (await res.json()) as {
      data: Record<string, { c: Record<string, { nodes: Array<{ oid: string; committedDate: string; author: { name: string } }> }> } | null>;
      errors: Array<{ type: string }>;
    };
    assert.deepEqual(
      data.r0!.c.f0!.nodes.map((n) => [n.oid, n.committedDate, n.author.name]),
      [[second, '2024-07-01T08:00:00Z', '李四']],
    );
    assert.equal(data.r0!.c.f1!.nodes[0]!.oid, first);
    assert.deepEqual(data.r1!.c.f0!.nodes, []);
    assert.equal(data.r2, null);
    assert.deepEqual(
      errors.map((e) => e.type),
      ['NOT_FOUND'],
    );
    assert.equal((await post({})).status, 401);
  });

  test('random faults are reproducible: the same seed gives the same faults in the same order', async () => {
    const run = async (): Promise<string[]> => {
      gh.requests.length = 0;
      gh.faultRates({ seed: 99, status: 0.3, secondaryRateLimit: 0.2, retryAfter: 0 });
      for (let i = 0; i < 20; i++) await get('/repos/devsapp/fc');
      gh.faultRates(undefined);
      return gh.requests.map((r) => `${r.fault ?? ''}${r.status}`);
    };
    const a = await run();
    assert.deepEqual(await run(), a);
    assert.ok(a.some((x) => x.startsWith('status')) && a.some((x) => x.startsWith('secondary')) && a.includes('200'), a.join());
  });
});
