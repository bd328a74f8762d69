/**
 * The fake GitHub's commit statuses API over real HTTP (test/support/fakeGitHubStatuses.ts), checked
 * against GitHub's documented behaviour: create (201, Location), list newest first with paging, the
 * combined status, 422 for a bad state / a description over 140 characters / a bad target_url / an
 * unknown sha, and a token that may read statuses but not write them (403 fine-grained, 404 classic).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';

const TOKEN = 'ghp_statusFake0123456789';

describe('fake GitHub: commit statuses', () => {
  let gh: FakeGitHub;
  let sha: string;
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${gh.url}${path}`, {
      method,
      headers: {
        authorization: `token ${TOKEN}`,
        accept: 'application/vnd.github+json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const post = (body: unknown, at = sha) => api('POST', `/repos/devsapp/fc/statuses/${at}`, body);

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    sha = await gh.createRepo('devsapp', 'fc', { 'docs/readme.md': '# FC' });
  });
  after(() => gh?.close());

  it('creates statuses, lists them newest first with paging, and combines the latest per context', async () => {
    const first = await post({ state: 'pending', description: 'Building', context: 'docs-sync/preview' });
    assert.equal(first.status, 201);
    const created = (await first.json()) as Record<string, unknown>;
    assert.equal(first.headers.get('location'), created.url);
    assert.deepEqual(
      { state: created.state, description: created.description, target_url: created.target_url, context: created.context },
      { state: 'pending', description: 'Building', target_url: null, context: 'docs-sync/preview' },
    );
    assert.equal((await post({ state: 'success', target_url: 'http://fc-pr-1.preview.localhost:8080/', context: 'docs-sync/preview' })).status, 201);
    assert.equal((await post({ state: 'failure' })).status, 201, 'no context: "default"');

    const listed = await api('GET', `/repos/devsapp/fc/commits/main/statuses?per_page=2`);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      ((await listed.json()) as Array<{ state: string; context: string }>).map((s) => `${s.context}:${s.state}`),
      ['default:failure', 'docs-sync/preview:success'],
    );
    assert.match(listed.headers.get('link') ?? '', /page=2>; rel="next"/);

    const combined = (await (await api('GET', `/repos/devsapp/fc/commits/${sha}/status`)).json()) as {
      state: string;
      total_count: number;
      sha: string;
      statuses: Array<{ context: string; state: string }>;
    };
    assert.equal(combined.sha, sha);
    assert.equal(combined.state, 'failure');
    assert.equal(combined.total_count, 2);
    assert.deepEqual(combined.statuses.map((s) => `${s.context}:${s.state}`).sort(), ['default:failure', 'docs-sync/preview:success']);
    assert.deepEqual(
      gh.statuses.of('devsapp', 'fc', sha).map((s) => s.state),
      ['pending', 'success', 'failure'],
    );
  });

  it('refuses what GitHub refuses: 422 for a bad state, a long description, a bad target_url, an unknown sha; 404 for an unknown repo', async () => {
    const before = gh.statuses.of('devsapp', 'fc', sha).length;
    const refused = async (res: Response, status: number, message: RegExp) => {
      assert.equal(res.status, status);
      assert.match(((await res.json()) as { message: string }).message, message);
    };
    await refused(await post({ state: 'done' }), 422, /^Invalid request\.\n\nFor 'properties\/state', "done" is not a member of/);
    await refused(await post({ description: 'x' }), 422, /"state" wasn't supplied/);
    const long = await post({ state: 'success', description: 'é'.repeat(141) });
    assert.equal(long.status, 422);
    assert.deepEqual(((await long.json()) as { errors: unknown[] }).errors, [
      { resource: 'Status', code: 'custom', field: 'description', message: 'description is too long (maximum is 140 characters)' },
    ]);
    assert.equal((await post({ state: 'success', description: 'é'.repeat(140) })).status, 201, '140 characters are allowed');
    await refused(await post({ state: 'success', target_url: 'javascript:alert(1)' }), 422, /Validation Failed/);
    await refused(await post({ state: 'success' }, 'f'.repeat(40)), 422, /^No commit found for SHA: f{40}$/);
    await refused(await api('POST', `/repos/devsapp/nope/statuses/${sha}`, { state: 'success' }), 404, /^Not Found$/);
    assert.equal(gh.statuses.of('devsapp', 'fc', sha).length, before + 1);
  });

  it("a fork's head commit (held by another repository) takes a status on the base repository", async () => {
    await gh.createRepo('ana', 'fc', { 'docs/readme.md': '# FC (fork)' });
    const forkHead = await gh.commit('ana', 'fc', { branch: 'fix', files: { 'docs/readme.md': '# FC, fixed in a fork' } });
    assert.equal((await post({ state: 'pending', context: 'docs-sync/preview' }, forkHead)).status, 201);
    assert.deepEqual(
      gh.statuses.of('devsapp', 'fc', forkHead).map((s) => s.state),
      ['pending'],
    );
    assert.equal(((await (await api('GET', `/repos/devsapp/fc/commits/${forkHead}/status`)).json()) as { state: string }).state, 'pending');
    assert.deepEqual(gh.statuses.of('ana', 'fc', forkHead), [], 'set on the base repository only');
  });

  it('a token that may read statuses but not write them: 403 as a fine-grained token, 404 as a classic one', async (t) => {
    t.after(() => gh.statuses.access('write'));
    const count = gh.statuses.of('devsapp', 'fc', sha).length;
    gh.statuses.access('read-fine-grained');
    const denied = await post({ state: 'success' });
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as { message: string }).message, 'Resource not accessible by personal access token');
    assert.equal((await api('GET', `/repos/devsapp/fc/commits/${sha}/statuses`)).status, 200, 'reading still works');
    gh.statuses.access('read-classic');
    const hidden = await post({ state: 'success' });
    assert.equal(hidden.status, 404);
    assert.equal(((await hidden.json()) as { message: string }).message, 'Not Found');
    assert.equal((await api('GET', `/repos/devsapp/fc/commits/${sha}/status`)).status, 200);
    assert.equal(gh.statuses.of('devsapp', 'fc', sha).length, count, 'nothing was written');
  });
});
