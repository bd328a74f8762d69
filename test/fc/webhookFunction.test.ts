/**
 * The HTTP function over real HTTP, talking to a stand-in for the FC 3.0 InvokeFunction API that
 * verifies each request's ACS3 signature: a push becomes exactly one async invocation of the builder
 * with a small job, a redelivery is recognised by FC's task de-duplication, and nothing is claimed
 * when FC does not accept the task.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveFunction, type ServedFunction } from '../../functions/fc/serveFunction.ts';
import { createWebhookFunction } from '../../functions/webhook/createWebhookFunction.ts';
import { DUPLICATE_TASK_CODE, startFcApiStandIn, type FcApiStandIn } from '../support/fcApiStandIn.ts';
import { examplePullRequest, postDelivery, pullRequestPayload, pushPayload, signedDelivery } from '../support/signedDelivery.ts';

const SECRETS = {
  webhook: 'whsec-fc-test-7f3a9',
  rebuild: 'rebuild-token-fc-test',
  stsSecret: 'sts-secret-fc-test-41b2',
  stsToken: 'sts-token-fc-test-CAIS99',
};
const BUILDER = 'docs-sync-builder';

describe('HTTP function on FC: webhook → async invocation of the builder', () => {
  let dir: string;
  let fc: FcApiStandIn;
  let served: ServedFunction;
  let env: Record<string, string>;
  const logs: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-webhook-'));
    mkdirSync(join(dir, 'handbook'));
    writeFileSync(join(dir, 'handbook', 'readme.md'), '# Handbook\n');
    writeFileSync(
      join(dir, 'sources.yaml'),
      'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n  - id: handbook\n    title: Handbook\n    path: handbook\n',
    );
    fc = await startFcApiStandIn({
      credentials: {
        'STS.role-key': { secret: SECRETS.stsSecret, securityToken: SECRETS.stsToken },
        'STS.header-key': { secret: 'header-secret', securityToken: 'header-token' },
      },
      functions: [BUILDER],
    });
    env = {
      GITHUB_WEBHOOK_SECRET: SECRETS.webhook,
      REBUILD_TOKEN: SECRETS.rebuild,
      SOURCES_FILE: join(dir, 'sources.yaml'),
      DATA_DIR: join(dir, 'data'),
      FUNCTION_COMPUTE_ENDPOINT: fc.url,
      BUILDER_FUNCTION_NAME: BUILDER,
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.role-key',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRETS.stsSecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: SECRETS.stsToken,
    };
    const fn = createWebhookFunction({ env, cwd: dir, log: (line) => logs.push(line) });
    served = await serveFunction(fn.handler, { port: 0, host: '127.0.0.1', log: (line) => logs.push(line) });
  });

  after(async () => {
    await served?.close();
    await fc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands a signed push to FC as one async task with a small job, then answers 202 with the build id', async () => {
    const payload = pushPayload('acme/widgets', 'main', { sha: 'a'.repeat(40), pusher: 'alice' });
    const d = await signedDelivery(SECRETS.webhook, 'push', payload);
    const r = await postDelivery(`${served.url}/webhook`, d);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.delivery, d.guid);
    assert.equal(fc.tasks.length, 1);
    const task = fc.tasks[0]!;
    assert.equal(task.functionName, BUILDER);
    assert.equal(task.taskId, `gh-${d.guid}`);
    assert.equal(task.headers['x-fc-invocation-type'], 'Async');
    const job = JSON.parse(task.body);
    assert.deepEqual(Object.keys(job), ['build']);
    assert.equal(job.build.id, r.body.id);
    assert.equal(job.build.state, 'queued');
    const { changes, ...trigger } = job.build.trigger;
    assert.deepEqual(trigger, { kind: 'push', repo: 'acme/widgets', ref: 'refs/heads/main', sha: 'a'.repeat(40), pusher: 'alice', delivery: d.guid });
    assert.equal(changes.after, 'a'.repeat(40));
    // The job, not GitHub's payload: small, and none of the delivery's content.
    assert.ok(Buffer.byteLength(task.body) < 2048, `job is ${Buffer.byteLength(task.body)} bytes`);
    assert.ok(Buffer.byteLength(d.body) > 4 * Buffer.byteLength(task.body));
    for (const key of ['commits', 'head_commit', 'compare', 'sender']) assert.ok(!task.body.includes(`"${key}"`), key);
    // Recorded on the shared data folder, so GET /builds shows it before the builder starts.
    const build = await (await fetch(`${served.url}/builds/${r.body.id}`)).json();
    assert.equal(build.state, 'queued');
    const deliveries = await (await fetch(`${served.url}/deliveries`)).json();
    assert.equal(deliveries.deliveries[0].guid, d.guid);
  });

  it('answers a redelivery 200 duplicate: FC refused the repeated task id, nothing new is queued', async () => {
    const d = await signedDelivery(SECRETS.webhook, 'push', pushPayload('acme/widgets', 'main'));
    assert.equal((await postDelivery(`${served.url}/webhook`, d)).status, 202);
    const tasks = fc.tasks.length;
    const again = await postDelivery(`${served.url}/webhook`, d);
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    assert.equal(fc.tasks.length, tasks);
    assert.deepEqual(fc.requests.at(-1), { method: 'POST', path: `/2023-03-30/functions/${BUILDER}/invocations`, status: 409, code: DUPLICATE_TASK_CODE });
  });

  it('answers non-2xx when FC does not accept the task, and claims nothing: the redelivery is queued later', async () => {
    const d = await signedDelivery(SECRETS.webhook, 'push', pushPayload('acme/widgets', 'main', { sha: 'b'.repeat(40) }));
    const tasks = fc.tasks.length;
    const builds = (await (await fetch(`${served.url}/builds`)).json()).builds.length;
    fc.failWith(503, 'ServiceUnavailable');
    try {
      const r = await postDelivery(`${served.url}/webhook`, d);
      assert.equal(r.status, 503, JSON.stringify(r.body));
      assert.match(r.body.error, /Function Compute refused.*503 ServiceUnavailable/);
    } finally {
      fc.recover();
    }
    assert.equal(fc.tasks.length, tasks);
    assert.equal((await (await fetch(`${served.url}/builds`)).json()).builds.length, builds);
    // GitHub's "Redeliver" once FC is healthy again: accepted as new, exactly one task.
    const again = await postDelivery(`${served.url}/webhook`, d);
    assert.equal(again.status, 202);
    assert.equal(fc.tasks.length, tasks + 1);
    assert.equal(fc.tasks.at(-1)!.taskId, `gh-${d.guid}`);
  });

  it('rejects a wrong signature with 401 without calling FC', async () => {
    const d = await signedDelivery('not-the-secret', 'push', pushPayload('acme/widgets', 'main'));
    const calls = fc.requests.length;
    const r = await postDelivery(`${served.url}/webhook`, d);
    assert.equal(r.status, 401);
    assert.equal(fc.requests.length, calls);
  });

  it('records a push to an untracked branch as skipped, without invoking the builder', async () => {
    const d = await signedDelivery(SECRETS.webhook, 'push', pushPayload('acme/widgets', 'feature-x'));
    const calls = fc.requests.length;
    const r = await postDelivery(`${served.url}/webhook`, d);
    assert.equal(r.status, 202);
    assert.equal(r.body.skipped, true);
    assert.equal(fc.requests.length, calls);
    const build = await (await fetch(`${served.url}/builds/${r.body.id}`)).json();
    assert.equal(build.state, 'skipped');
  });

  it('skips a pull_request delivery (previews need the local server), records why, and invokes nothing', async () => {
    const d = await signedDelivery(SECRETS.webhook, 'pull_request', pullRequestPayload('opened', examplePullRequest('acme/widgets')));
    const calls = fc.requests.length;
    const r = await postDelivery(`${served.url}/webhook`, d);
    assert.equal(r.status, 202);
    assert.equal(r.body.reason, 'PR previews need the local server (DEPLOY_TARGET=local)');
    assert.equal(fc.requests.length, calls);
    const build = await (await fetch(`${served.url}/builds/${r.body.id}`)).json();
    assert.deepEqual([build.state, build.trigger.kind, build.trigger.sources], ['skipped', 'preview', ['widgets']]);
  });

  it('queues POST /rebuild as an async invocation too', async () => {
    const denied = await fetch(`${served.url}/rebuild`, { method: 'POST', headers: { authorization: 'Bearer wrong' } });
    assert.equal(denied.status, 401);
    const res = await fetch(`${served.url}/rebuild`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS.rebuild}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sources: ['handbook'] }),
    });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    const task = fc.tasks.at(-1)!;
    assert.equal(task.taskId, `rebuild-${id}`);
    assert.deepEqual(JSON.parse(task.body).build.trigger, { kind: 'manual', full: false, requestedBy: 'http', sources: ['handbook'] });
  });

  it('serves /healthz; the site is not served here: without PUBLIC_URL a page says where it is', async () => {
    assert.equal((await fetch(`${served.url}/healthz`)).status, 200);
    const site = await fetch(`${served.url}/`);
    assert.equal(site.status, 404);
    assert.match(await site.text(), /site is published to OSS; PUBLIC_URL is not set/);
  });

  it('sends a reader to the site at PUBLIC_URL, path and query kept; never redirects to itself', async () => {
    const fn = createWebhookFunction({ env: { ...env, PUBLIC_URL: 'https://docs.example.com/' }, cwd: dir, log: (line) => logs.push(line) });
    const other = await serveFunction(fn.handler, { port: 0, host: '127.0.0.1', log: (line) => logs.push(line) });
    const self = createWebhookFunction({ env: { ...env, PUBLIC_URL: other.url }, cwd: dir, log: (line) => logs.push(line) });
    try {
      const res = await fetch(`${other.url}/widgets/intro/?q=1`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), 'https://docs.example.com/widgets/intro/?q=1');
      const loop = await self.handler(new Request(`${other.url}/widgets/`));
      assert.equal(loop.status, 404);
      assert.match(await loop.text(), /points at this function itself/);
    } finally {
      await other.close();
    }
  });

  it('guards the status pages like the local server: STATUS_TOKEN needed for /builds and /_builds/, the badge public', async () => {
    const status = 'fc-status-token-0123456789';
    const fn = createWebhookFunction({ env: { ...env, STATUS_TOKEN: status }, cwd: dir, log: (line) => logs.push(line) });
    const get = (path: string, headers: Record<string, string> = {}) => fn.handler(new Request(`http://fc.example${path}`, { headers }));
    assert.equal((await get('/builds')).status, 401);
    assert.equal((await get('/_builds/')).status, 401);
    assert.equal((await get('/builds', { authorization: `Bearer ${status}` })).status, 200);
    assert.equal((await get('/_builds/badge.svg')).status, 200);
    assert.ok(logs.some((l) => l.startsWith('Status pages need a token (STATUS_TOKEN)')));
  });

  it("signs with FC's per-request credentials when the request carries them; wrong keys are refused by the API", async () => {
    const fn = createWebhookFunction({ env: { ...env, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'stale-secret' }, cwd: dir, log: (line) => logs.push(line) });
    const other = await serveFunction(fn.handler, { port: 0, host: '127.0.0.1', log: (line) => logs.push(line) });
    try {
      const d = await signedDelivery(SECRETS.webhook, 'push', pushPayload('acme/widgets', 'main'));
      const refused = await postDelivery(`${other.url}/webhook`, d);
      assert.equal(refused.status, 503);
      assert.equal(fc.requests.at(-1)!.code, 'SignatureDoesNotMatch');
      const res = await fetch(`${other.url}/webhook`, {
        method: 'POST',
        headers: { ...d.headers, 'x-fc-access-key-id': 'STS.header-key', 'x-fc-access-key-secret': 'header-secret', 'x-fc-security-token': 'header-token' },
        body: d.body,
      });
      assert.equal(res.status, 202, await res.clone().text());
      assert.equal(fc.tasks.at(-1)!.headers['x-acs-security-token'], 'header-token');
    } finally {
      await other.close();
    }
  });

  it('still serves the site and builds without an FC endpoint, and tells GitHub why nothing was queued', async () => {
    const { FUNCTION_COMPUTE_ENDPOINT: _, ...withoutEndpoint } = env;
    const fn = createWebhookFunction({ env: withoutEndpoint, cwd: dir, log: (line) => logs.push(line) });
    const other = await serveFunction(fn.handler, { port: 0, host: '127.0.0.1', log: (line) => logs.push(line) });
    try {
      assert.equal((await fetch(`${other.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${other.url}/builds`)).status, 200);
      const d = await signedDelivery(SECRETS.webhook, 'push', pushPayload('acme/widgets', 'main'));
      const r = await postDelivery(`${other.url}/webhook`, d);
      assert.equal(r.status, 503);
      assert.match(r.body.error, /FC_ACCOUNT_ID and FC_REGION are not set/);
    } finally {
      await other.close();
    }
  });

  it('never logs a secret', () => {
    const text = logs.join('\n');
    for (const s of [SECRETS.webhook, SECRETS.rebuild, SECRETS.stsSecret]) assert.ok(!text.includes(s), 'secret in the log');
  });
});
