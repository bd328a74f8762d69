import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { RequestGate } from '../../functions/core/fetch/requestGate.ts';
import type { SourceConfig } from '../../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { seedSynthetic } from '../support/fakeGitHubCorpus.ts';

const TOKEN = 'ghp_gateTestToken';

describe('RequestGate: how many requests one token has in flight', () => {
  /** A gate on a clock that only moves when the gate sleeps. */
  const clocked = (options: ConstructorParameters<typeof RequestGate>[0] = {}) => {
    const t = { now: 1_700_000_000_000, slept: [] as number[] };
    const gate = new RequestGate({ ...options, now: () => t.now, sleep: async (ms) => void (t.slept.push(ms), (t.now += ms)) });
    return { gate, t };
  };

  test('at most maxInFlight at once; the next waits for a release', async () => {
    const { gate } = clocked({ maxInFlight: 2 });
    const a = await gate.acquire();
    await gate.acquire();
    let third = false;
    const pending = gate.acquire().then((release) => ((third = true), release));
    await new Promise((r) => setImmediate(r));
    assert.equal(third, false);
    a();
    (await pending)();
    assert.equal(third, true);
    assert.equal(gate.peak, 2);
  });

  test('one at a time when the hourly budget runs low, per resource', () => {
    const { gate } = clocked({ lowWater: 50 });
    gate.observe(200, { 'x-ratelimit-remaining': '51', 'x-ratelimit-resource': 'core' });
    assert.equal(gate.limit('core'), 4);
    gate.observe(200, { 'x-ratelimit-remaining': '50', 'x-ratelimit-resource': 'core' });
    assert.equal(gate.limit('core'), 1);
    assert.equal(gate.limit('graphql'), 4);
  });

  test('nothing is sent for retry-after after a secondary rate limit, nor until the reset when the budget is used up', async () => {
    const { gate, t } = clocked({ maxWaitMs: 120_000 });
    gate.observe(403, { 'retry-after': '7', 'x-ratelimit-remaining': '4000' });
    (await gate.acquire())();
    assert.deepEqual(t.slept, [7000]);

    const reset = Math.floor(t.now / 1000) + 30;
    gate.observe(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
    (await gate.acquire())();
    assert.equal(t.now, reset * 1000 + 1000, 'waited until one second after the reset');
    gate.observe(200, { 'x-ratelimit-remaining': '5000' });
    t.slept.length = 0;
    (await gate.acquire())();
    assert.deepEqual(t.slept, []);
  });

  test('a reset further away than maxWaitMs is not waited for (the request fails with the reason instead)', async () => {
    const { gate, t } = clocked({ maxWaitMs: 60_000 });
    gate.observe(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(t.now / 1000) + 3600) });
    (await gate.acquire())();
    assert.deepEqual(t.slept, []);
  });

  test('a cancelled fetch stops waiting for a turn', async () => {
    const { gate } = clocked({ maxInFlight: 1 });
    await gate.acquire();
    const controller = new AbortController();
    const waiting = gate.acquire(controller.signal);
    controller.abort(new Error('build cancelled'));
    await assert.rejects(waiting, /build cancelled/);
  });
});

describe('RequestGate in a real fetch of 12 repositories', () => {
  let gh: FakeGitHub;
  let sources: SourceConfig[];
  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN, latencyMs: 25 });
    sources = await seedSynthetic(gh, { repos: 12, files: 60, commits: 0 });
  });
  after(() => gh.close());

  test('never more than 4 requests in flight for the token, however many sources run at once', async () => {
    const octokit = createGitHubClient({ baseUrl: gh.url, token: TOKEN });
    gh.resetPeak();
    const r = await fetchSources(sources, { octokit, concurrency: 12 });
    assert.deepEqual(r.failures, []);
    assert.equal(r.fetched.length, 12);
    assert.ok(gh.peakInFlight() <= 4, `peak ${gh.peakInFlight()}`);
    assert.ok(gh.peakInFlight() >= 2, 'requests do run in parallel');
  });

  test('one request at a time once GitHub says the budget is low', async () => {
    const octokit = createGitHubClient({ baseUrl: gh.url, token: TOKEN });
    const gate = new RequestGate({ lowWater: 4999 });
    await fetchSources(sources.slice(0, 1), { octokit, github: { gate }, lastUpdated: 'none' });
    gh.resetPeak();
    const r = await fetchSources(sources, { octokit, concurrency: 12, github: { gate }, full: true });
    assert.deepEqual(r.failures, []);
    assert.equal(gh.peakInFlight(), 1);
  });
});
