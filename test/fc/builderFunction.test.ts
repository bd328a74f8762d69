/**
 * The builder function as FC drives it: each async invocation arrives as POST /invoke with the job
 * as body. One real build (local source → Astro → release on the shared data folder, served by the
 * HTTP function from there); failed attempts answer FC's error contract so FC retries; FC's
 * onFailure destination event marks the build failed and notifies DingTalk once.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBuilderFunction } from '../../functions/builder/createBuilderFunction.ts';
import { currentRelease } from '../../functions/core/deploy/deployRelease.ts';
import { newBuildId } from '../../functions/core/queue/BuildQueue.ts';
import type { BuildRecord } from '../../functions/core/types.ts';
import { buildStoreDir, createFileBuildStore } from '../../functions/fc/createFileBuildStore.ts';
import { serveFunction, type ServedFunction } from '../../functions/fc/serveFunction.ts';
import { createWebhookFunction } from '../../functions/webhook/createWebhookFunction.ts';
import { startDingTalkStandIn, type DingTalkStandIn } from '../support/dingTalkStandIn.ts';

const DINGTALK_SECRET = 'SECfc-builder-test-secret';

function newJob(trigger: BuildRecord['trigger'] = { kind: 'manual', full: true, requestedBy: 'test' }): { build: BuildRecord } {
  const now = Date.now();
  return { build: { id: newBuildId(now), state: 'queued', trigger, createdAt: new Date(now).toISOString(), attempts: 0, phases: {}, sources: [] } };
}

/** POST /invoke the way FC delivers an event invocation. */
async function invoke(url: string, payload: unknown): Promise<{ status: number; fcStatus: string | null; body: any }> {
  const res = await fetch(`${url}/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-fc-request-id': `req-${Math.random().toString(16).slice(2)}` },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: res.status, fcStatus: res.headers.get('x-fc-status'), body: await res.json() };
}

/** FC's onFailure destination event for a job (shape from FC's "result callback" documentation). */
function destinationEvent(job: unknown, invokeCount: number) {
  return {
    timestamp: Date.now(),
    requestContext: {
      requestId: 'req-final',
      functionArn: 'acs:fc:cn-hangzhou:123456:functions/docs-sync-builder',
      condition: 'UnhandledInvocationError',
      approximateInvokeCount: invokeCount,
    },
    requestPayload: JSON.stringify(job),
    responseContext: { statusCode: 200, functionError: 'UnhandledInvocationError' },
    responsePayload: '',
  };
}

describe('builder function on FC', () => {
  let dir: string;
  let ding: DingTalkStandIn;
  const servers: ServedFunction[] = [];
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  let baseEnv: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-builder-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'readme.md'), '# Handbook\n\nBuilt by the FC builder function. 中文内容。\n');
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: handbook\n    title: Handbook\n    path: docs\n');
    ding = await startDingTalkStandIn({ secret: DINGTALK_SECRET, accessToken: 'fc-tok' });
    baseEnv = { SOURCES_FILE: join(dir, 'sources.yaml'), DINGTALK_WEBHOOK_URL: ding.url, DINGTALK_SECRET, PUBLIC_URL: 'https://docs.example.com' };
  });

  after(async () => {
    for (const s of servers) await s.close();
    await ding?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startBuilder(name: string, options: Parameters<typeof createBuilderFunction>[0] = {}) {
    const dataDir = join(dir, name);
    const fn = createBuilderFunction({
      env: { ...baseEnv, DATA_DIR: dataDir, ...options.env },
      cwd: dir,
      log,
      ...(options.steps ? { steps: options.steps } : {}),
    });
    const served = await serveFunction(fn.handler, { port: 0, host: '127.0.0.1', log });
    servers.push(served);
    return { url: served.url, dataDir, store: createFileBuildStore(buildStoreDir(dataDir)) };
  }

  it('builds and deploys a job into the data folder, records it succeeded, notifies, and the HTTP function the webhook function lists it', async () => {
    const builder = await startBuilder('data-ok');
    const job = newJob();
    const r = await invoke(builder.url, job);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'succeeded');
    const build = (await builder.store.get(job.build.id))!;
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    assert.equal(build.attempts, 1);
    assert.equal(build.release, job.build.id);
    for (const phase of ['fetch', 'transform', 'build', 'deploy'] as const) assert.equal(typeof build.phases[phase], 'number', phase);
    const current = (await currentRelease(builder.dataDir))!;
    assert.equal(current.release, job.build.id);
    assert.match(readFileSync(join(current.path, 'handbook', 'index.html'), 'utf8'), /Built by the FC builder function/);
    assert.equal(ding.messages.length, 1);
    assert.match(ding.messages[0]!.text, new RegExp(job.build.id));
    assert.match(ding.messages[0]!.text, /https:\/\/docs\.example\.com\/_builds\//);

    // FC delivers at least once: the same job again is acknowledged without building or notifying.
    const again = await invoke(builder.url, job);
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    assert.equal((await builder.store.get(job.build.id))!.attempts, 1);
    assert.equal(ding.messages.length, 1);

    // The webhook function reads the same build store (the site itself is published elsewhere).
    const http = createWebhookFunction({ env: { ...baseEnv, DATA_DIR: builder.dataDir }, cwd: dir, log });
    const served = await serveFunction(http.handler, { port: 0, host: '127.0.0.1', log });
    servers.push(served);
    const listed = await (await fetch(`${served.url}/builds`)).json();
    assert.deepEqual(
      listed.builds.map((b: BuildRecord) => [b.id, b.state]),
      [[job.build.id, 'succeeded']],
    );
    assert.match(readFileSync(join(current.path, 'handbook', 'index.html'), 'utf8'), /中文内容/);
  });

  it("answers a failed attempt with FC's error contract so FC retries; the destination event then fails it and notifies once", async () => {
    const builder = await startBuilder('data-fail', {
      steps: {
        fetchSources: async () => {
          throw new Error('GitHub answered 502 for acme/widgets');
        },
      },
    });
    const job = newJob({ kind: 'push', repo: 'acme/widgets', ref: 'refs/heads/main', sha: 'c'.repeat(40), pusher: 'bob', delivery: 'd-123' });
    const messages = ding.messages.length;
    for (const attempt of [1, 2]) {
      const r = await invoke(builder.url, job);
      assert.equal(r.status, 404);
      assert.equal(r.fcStatus, '404');
      assert.equal(r.body.error.phase, 'fetch');
      const build = (await builder.store.get(job.build.id))!;
      assert.equal(build.state, 'queued');
      assert.equal(build.attempts, attempt);
      assert.match(build.error!.message, /GitHub answered 502/);
    }
    assert.equal(ding.messages.length, messages, 'no notification for an attempt FC will retry');

    const final = await invoke(builder.url, destinationEvent(job, 4));
    assert.equal(final.status, 200);
    assert.equal(final.body.state, 'failed');
    const build = (await builder.store.get(job.build.id))!;
    assert.equal(build.state, 'failed');
    assert.equal(build.error!.phase, 'fetch');
    assert.match(build.error!.message, /GitHub answered 502.*gave up after 4 attempt\(s\) \(UnhandledInvocationError/);
    assert.ok(build.finishedAt);
    assert.equal(ding.messages.length, messages + 1);
    assert.match(ding.messages.at(-1)!.text, new RegExp(job.build.id));
    assert.match(ding.messages.at(-1)!.text, /fail/i);

    // A repeated destination event changes nothing.
    const repeat = await invoke(builder.url, destinationEvent(job, 4));
    assert.equal(repeat.status, 200);
    assert.equal(ding.messages.length, messages + 1);
  });

  it("fails a job that never ran (e.g. expired in FC's queue) from the destination event alone", async () => {
    const builder = await startBuilder('data-expired');
    const job = newJob();
    const r = await invoke(builder.url, {
      ...destinationEvent(job, 0),
      requestContext: { requestId: 'x', functionArn: 'acs:fc:cn-hangzhou:1:functions/b', condition: 'EventExpired', approximateInvokeCount: 0 },
    });
    assert.equal(r.status, 200);
    const build = (await builder.store.get(job.build.id))!;
    assert.equal(build.state, 'failed');
    assert.deepEqual(build.error, { phase: 'queue', message: 'Function Compute gave up after 0 attempt(s) (EventExpired: UnhandledInvocationError)' });
  });

  it('stops an attempt at BUILD_TIMEOUT_SECONDS and reports it as a failed attempt', async () => {
    const builder = await startBuilder('data-timeout', {
      env: { BUILD_TIMEOUT_SECONDS: '0.2' },
      steps: {
        fetchSources: (_sources, { signal }) =>
          new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason as Error), { once: true })),
      },
    });
    const job = newJob();
    const r = await invoke(builder.url, job);
    assert.equal(r.status, 404);
    assert.match(r.body.error.message, /timed out after 200 ms \(BUILD_TIMEOUT_SECONDS\)/);
    assert.equal((await builder.store.get(job.build.id))!.state, 'queued');
  });

  it('acknowledges payloads it cannot use (FC would only retry them) and refuses other paths', async () => {
    const builder = await startBuilder('data-odd');
    for (const payload of ['not json', { build: { id: '../../etc', state: 'queued' } }, { hello: 'world' }]) {
      const r = await invoke(builder.url, payload);
      assert.equal(r.status, 200);
      assert.ok(r.body.ignored, JSON.stringify(r.body));
    }
    assert.equal(existsSync(join(builder.dataDir, 'releases')), false);
    assert.equal((await fetch(`${builder.url}/`)).status, 404);
  });

  it('never logs the DingTalk secret', () => {
    assert.ok(!logs.join('\n').includes(DINGTALK_SECRET));
  });
});
