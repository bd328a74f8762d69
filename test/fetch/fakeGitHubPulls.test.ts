import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { gitBlobSha } from '../../functions/core/fetch/gitHubReader.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { pullRequestPayload } from '../support/signedDelivery.ts';

const TOKEN = 'ghp_fakePullsToken';

describe('fake GitHub: pull requests from a branch or a fork, their files, paged like GitHub', () => {
  let gh: FakeGitHub;
  let octokit: ReturnType<typeof createGitHubClient>;
  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    octokit = createGitHubClient({ baseUrl: gh.url, token: TOKEN, warn: () => {} });
    await gh.createRepo('devsapp', 'fc', {
      'docs/readme.md': '# FC\n\nline\n',
      'docs/old.md': '# Old\n\nsame text here, long enough to be a rename\n',
      'docs/gone.md': '# Gone\n',
      'src/index.ts': 'export {};\n',
    });
  });
  after(() => gh.close());

  test('a same-repository pull request: GET pulls/{n} in GitHub shape, files from merge-base...head with renames and line counts', async () => {
    const head = await gh.commit('devsapp', 'fc', {
      branch: 'fix-docs',
      files: {
        'docs/readme.md': '# FC\n\nnew line\nmore\n',
        'docs/new.md': '# New\n',
        'docs/moved.md': '# Old\n\nsame text here, long enough to be a rename\n',
      },
      delete: ['docs/old.md', 'docs/gone.md'],
    });
    // The base branch moves on after the branch was cut: its changes are not the PR's.
    await gh.commit('devsapp', 'fc', { files: { 'src/index.ts': 'export const x = 1;\n' } });
    const n = await gh.openPullRequest('devsapp', 'fc', { head: 'fix-docs', title: 'Fix the docs', user: 'alice' });
    const { data: pr } = await octokit.rest.pulls.get({ owner: 'devsapp', repo: 'fc', pull_number: n });
    assert.equal(pr.number, n);
    assert.equal(pr.title, 'Fix the docs');
    assert.equal(pr.user?.login, 'alice');
    assert.equal(pr.head.sha, head);
    assert.equal(pr.head.ref, 'fix-docs');
    assert.equal(pr.head.repo?.full_name, 'devsapp/fc');
    assert.equal(pr.base.ref, 'main');
    assert.equal(pr.state, 'open');
    assert.equal(pr.changed_files, 4);

    const { data: files } = await octokit.rest.pulls.listFiles({ owner: 'devsapp', repo: 'fc', pull_number: n, per_page: 100 });
    const byName = new Map(files.map((f) => [f.filename, f]));
    assert.deepEqual([...byName.keys()].sort(), ['docs/gone.md', 'docs/moved.md', 'docs/new.md', 'docs/readme.md']);
    assert.equal(byName.get('docs/moved.md')?.status, 'renamed');
    assert.equal(byName.get('docs/moved.md')?.previous_filename, 'docs/old.md');
    assert.equal(byName.get('docs/gone.md')?.status, 'removed');
    assert.equal(byName.get('docs/new.md')?.status, 'added');
    const readme = byName.get('docs/readme.md')!;
    assert.deepEqual([readme.status, readme.additions, readme.deletions, readme.changes], ['modified', 2, 1, 3]);
    assert.equal(readme.sha, gitBlobSha(Buffer.from('# FC\n\nnew line\nmore\n')));
    // The blob named by the file list holds the head's content.
    const { data: blob } = await octokit.rest.git.getBlob({ owner: 'devsapp', repo: 'fc', file_sha: readme.sha });
    assert.equal(Buffer.from(blob.content, 'base64').toString(), '# FC\n\nnew line\nmore\n');
  });

  test('files are paged (per_page, Link rel=next/last) and every page is a counted request', async () => {
    const files = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`docs/p${i}.md`, `# P${i}\n`]));
    await gh.commit('devsapp', 'fc', { branch: 'many', files });
    const n = await gh.openPullRequest('devsapp', 'fc', { head: 'many' });
    const before = gh.requests.length;
    const res = await fetch(`${gh.url}/repos/devsapp/fc/pulls/${n}/files?per_page=3`, { headers: { authorization: `token ${TOKEN}` } });
    assert.match(res.headers.get('link') ?? '', /page=2>; rel="next".*page=3>; rel="last"/);
    assert.equal(((await res.json()) as unknown[]).length, 3);
    const all = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: 'devsapp', repo: 'fc', pull_number: n, per_page: 3 });
    assert.equal(all.length, 7);
    const sent = gh.requests.slice(before);
    assert.equal(sent.length, 4);
    assert.ok(sent.every((r) => r.counted && r.status === 200));
  });

  test('a fork: the head lives in the fork, blobs are read there; closing freezes the head; unknown numbers are 404', async () => {
    await gh.forkRepo('devsapp', 'fc', 'bob');
    const head = await gh.commit('bob', 'fc', { branch: 'typo', files: { 'docs/readme.md': '# FC (fixed)\n' } });
    const n = await gh.openPullRequest('devsapp', 'fc', { head: 'typo', headOwner: 'bob', draft: true });
    const pr = await gh.pullRequest('devsapp', 'fc', n);
    assert.equal(pr.head.repo.full_name, 'bob/fc');
    assert.equal(pr.head.repo.fork, true);
    assert.equal(pr.base.repo.full_name, 'devsapp/fc');
    assert.equal(pr.draft, true);
    const { data: files } = await octokit.rest.pulls.listFiles({ owner: 'devsapp', repo: 'fc', pull_number: n });
    assert.deepEqual(
      files.map((f) => [f.filename, f.status]),
      [['docs/readme.md', 'modified']],
    );
    const { data: blob } = await octokit.rest.git.getBlob({ owner: 'bob', repo: 'fc', file_sha: files[0]!.sha! });
    assert.equal(Buffer.from(blob.content, 'base64').toString(), '# FC (fixed)\n');

    await gh.updatePullRequest('devsapp', 'fc', n, { state: 'closed' });
    await gh.commit('bob', 'fc', { branch: 'typo', files: { 'docs/readme.md': '# later\n' } });
    const closed = await gh.pullRequest('devsapp', 'fc', n);
    assert.deepEqual([closed.state, closed.head.sha, closed.merged], ['closed', head, false]);

    await assert.rejects(octokit.rest.pulls.get({ owner: 'devsapp', repo: 'fc', pull_number: 99 }), { status: 404 });
    await assert.rejects(octokit.rest.pulls.listFiles({ owner: 'devsapp', repo: 'fc', pull_number: 99 }), { status: 404 });
  });

  test('pullRequestPayload wraps the JSON in a real pull_request delivery body', async () => {
    const pr = await gh.pullRequest('devsapp', 'fc', 1);
    const p = pullRequestPayload('synchronize', pr, { before: 'a'.repeat(40) });
    assert.deepEqual([p.action, p.number, p.repository.full_name, p.after, p.before], ['synchronize', 1, 'devsapp/fc', pr.head.sha, 'a'.repeat(40)]);
    assert.equal(p.pull_request.head.sha, pr.head.sha);
  });
});
