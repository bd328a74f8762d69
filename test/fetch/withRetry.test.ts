import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { GitHubReadError } from '../../functions/core/fetch/errors.ts';
import { withRetry, type RetryOptions } from '../../functions/core/fetch/withRetry.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';

const TOKEN = 'ghp_secretTokenThatMustNotLeak42';
const fast: RetryOptions = { minTimeout: 1, maxTimeout: 5, randomize: false };

describe('withRetry against a real HTTP server', () => {
  let gh: FakeGitHub;
  let octokit: ReturnType<typeof createGitHubClient>;
  const getRepo =
    (name = 'fc') =>
    (signal: AbortSignal) =>
      octokit.rest.repos.get({ owner: 'devsapp', repo: name, request: { signal } }).then((r) => r.data.default_branch);
  const calls = (path: RegExp): number => gh.requests.filter((r) => path.test(r.path)).length;

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    await gh.createRepo('devsapp', 'fc', { 'docs/readme.md': '# FC\n' }, { defaultBranch: 'master' });
    octokit = createGitHubClient({ baseUrl: gh.url, token: TOKEN });
  });
  beforeEach(() => {
    assert.equal(gh.pendingFaults(), 0, 'a previous test left faults unused');
    gh.requests.length = 0;
  });
  after(() => gh.close());

  test('retries 5xx (JSON and HTML bodies) until GitHub answers', async () => {
    gh.inject({ kind: 'status', status: 500, times: 2 });
    gh.inject({ kind: 'status', status: 502 });
    const retries: string[] = [];
    assert.equal(await withRetry('devsapp/fc', getRepo(), { ...fast, onRetry: (m) => retries.push(m) }), 'master');
    assert.equal(calls(/^\/repos\/devsapp\/fc$/), 4);
    assert.equal(retries.length, 3);
    assert.match(retries[0]!, /GitHub answered 500 for devsapp\/fc \(GET \/repos\/devsapp\/fc\).*retry 1 of 4/);
    assert.ok(retries.every((m) => !m.includes(TOKEN)));
  });

  test('gives up after the retries with a message saying what and what next', async () => {
    gh.inject({ kind: 'status', status: 503, times: 3 });
    const err = await withRetry('devsapp/fc', getRepo(), { ...fast, retries: 2 }).catch((e: unknown) => e);
    assert.ok(err instanceof GitHubReadError);
    assert.equal(err.status, 503);
    assert.match(err.message, /GitHub answered 503 for devsapp\/fc .*gave up after 3 attempts — GitHub may be having trouble/);
    assert.equal(calls(/^\/repos\/devsapp\/fc$/), 3);
  });

  test('404 is final at once, with a clear message', async () => {
    const err = await withRetry('devsapp/nope', getRepo('nope'), fast).catch((e: unknown) => e);
    assert.ok(err instanceof GitHubReadError);
    assert.equal(err.status, 404);
    assert.match(
      err.message,
      /^GitHub answered 404 for devsapp\/nope \(GET \/repos\/devsapp\/nope\): repository or branch not found — check `repo`\/`ref` in the sources file/,
    );
    assert.equal(gh.requests.length, 1);
  });

  test('422 (unknown ref) and 401 (bad token) are final at once; the token never shows', async () => {
    const badRef = await withRetry(
      'devsapp/fc',
      (signal) => octokit.rest.repos.getCommit({ owner: 'devsapp', repo: 'fc', ref: 'nope', request: { signal } }),
      fast,
    ).catch((e: unknown) => e);
    assert.ok(badRef instanceof GitHubReadError);
    assert.match(badRef.message, /422 .*No commit found for SHA: nope — check that `ref`/);

    const wrong = createGitHubClient({ baseUrl: gh.url, token: `${TOKEN}-revoked` });
    const err = await withRetry('devsapp/fc', (signal) => wrong.rest.repos.get({ owner: 'devsapp', repo: 'fc', request: { signal } }), fast).catch(
      (e: unknown) => e,
    );
    assert.ok(err instanceof GitHubReadError);
    assert.equal(err.status, 401);
    assert.match(err.message, /401 .*bad credentials — GITHUB_TOKEN is wrong, expired or revoked/);
    assert.ok(!err.message.includes(TOKEN) && !JSON.stringify(err.cause ?? {}).includes(TOKEN));
    assert.equal(gh.requests.length, 2);
  });

  test('honours retry-after on 429 and on a 403 secondary rate limit', async () => {
    gh.inject({ kind: 'secondary-rate-limit', status: 429, retryAfter: 1 });
    gh.inject({ kind: 'secondary-rate-limit', status: 403, retryAfter: 1 });
    const retries: string[] = [];
    assert.equal(await withRetry('devsapp/fc', getRepo(), { ...fast, onRetry: (m) => retries.push(m) }), 'master');
    assert.deepEqual(
      gh.requests.map((r) => r.status),
      [429, 403, 200],
    );
    assert.equal(retries.length, 2);
    for (const m of retries) assert.match(m, /rate limited \(You have exceeded a secondary rate limit.*in 1\.0 s$/);
  });

  test('waits for x-ratelimit-reset when the hourly limit is used up, if the reset is near', async () => {
    gh.inject({ kind: 'rate-limit-exhausted', resetIn: 1 });
    const retries: string[] = [];
    assert.equal(await withRetry('devsapp/fc', getRepo(), { ...fast, onRetry: (m) => retries.push(m) }), 'master');
    assert.match(retries[0] ?? '', /API rate limit exceeded.*in [12]\.\d s$/);
    assert.deepEqual(
      gh.requests.map((r) => r.status),
      [403, 200],
    );
  });

  test('a rate limit asking for longer than maxWaitMs is final, and says to try later', async () => {
    gh.inject({ kind: 'rate-limit-exhausted', resetIn: 3600 });
    const err = await withRetry('devsapp/fc', getRepo(), { ...fast, maxWaitMs: 60_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof GitHubReadError);
    assert.match(err.message, /API rate limit exceeded.*more than the 60 s we wait — try again later/);
    assert.equal(gh.requests.length, 1);

    gh.inject({ kind: 'secondary-rate-limit', retryAfter: 120 });
    const secondary = await withRetry('devsapp/fc', getRepo(), { ...fast, maxWaitMs: 5_000 }).catch((e: unknown) => e);
    assert.match(String(secondary), /secondary rate limit.*wait 120 s, more than the 5 s/);
  });

  test('anonymous callers out of quota are told to set GITHUB_TOKEN', async () => {
    const anon = await startFakeGitHub({ rateLimit: 1 });
    try {
      await anon.createRepo('devsapp', 'fc', { 'a.md': 'a' });
      const client = createGitHubClient({ baseUrl: anon.url });
      const get = (signal: AbortSignal) => client.rest.repos.get({ owner: 'devsapp', repo: 'fc', request: { signal } });
      await withRetry('devsapp/fc', get, fast);
      const err = await withRetry('devsapp/fc', get, fast).catch((e: unknown) => e);
      assert.match(String(err), /set GITHUB_TOKEN to get 5000 requests\/hour/);
    } finally {
      await anon.close();
    }
  });

  test('retries reset connections and requests that hang past the timeout', async () => {
    gh.inject({ kind: 'reset', times: 2 });
    assert.equal(await withRetry('devsapp/fc', getRepo(), fast), 'master');
    assert.deepEqual(
      gh.requests.map((r) => r.fault ?? r.status),
      ['reset', 'reset', 200],
    );

    gh.requests.length = 0;
    gh.inject({ kind: 'hang' });
    assert.equal(await withRetry('devsapp/fc', getRepo(), { ...fast, timeoutMs: 300 }), 'master');
    assert.deepEqual(
      gh.requests.map((r) => r.fault ?? r.status),
      ['hang', 200],
    );
  });

  test('a network failure that never clears ends with advice to check the network', async () => {
    gh.inject({ kind: 'reset', times: 3 });
    const err = await withRetry('devsapp/fc', getRepo(), { ...fast, retries: 2 }).catch((e: unknown) => e);
    assert.ok(err instanceof GitHubReadError);
    assert.equal(err.status, undefined);
    assert.match(
      err.message,
      /reading devsapp\/fc \(GET \/repos\/devsapp\/fc\) from GitHub failed: .*gave up after 3 attempts — check the network and GITHUB_API_URL/,
    );
  });

  test('the caller can cancel, even during a retry-after wait', async () => {
    gh.inject({ kind: 'secondary-rate-limit', retryAfter: 30 });
    const controller = new AbortController();
    const reason = new Error('build cancelled');
    const started = withRetry('devsapp/fc', getRepo(), { ...fast, signal: controller.signal, onRetry: () => setImmediate(() => controller.abort(reason)) });
    await assert.rejects(started, (e) => e === reason);
    assert.equal(gh.requests.length, 1);
  });

  test('errors that are not about GitHub are not retried', async () => {
    let attempts = 0;
    const err = await withRetry(
      'devsapp/fc',
      async () => {
        attempts++;
        throw new RangeError('bug in our code');
      },
      fast,
    ).catch((e: unknown) => e);
    assert.equal(attempts, 1);
    assert.match(String(err), /bug in our code/);
  });
});
