/**
 * The webhook function's built package (npm run package:fc → dist/fc/webhook) run by the FC emulator
 * as FC runs it: started cold by its customRuntimeConfig command with the Node.js 22 layer, behind
 * the HTTP trigger, frozen between requests. A signed push is answered 202 only once FC accepted the
 * async task; a redelivery is FC's 409, answered as a duplicate; a runtime whose idle timeout is
 * below FC's requirement shows up as the 502 it would be on FC.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { signAcs3 } from '../../functions/fc/signAcs3.ts';
import { packageFunctions, ROOT } from '../../scripts/package-fc.ts';
import { startFcEmulator, type FcEmulator } from '../support/fcEmulator/startFcEmulator.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';

const SECRET = 'whsec-emulator-5c1e';
const WEBHOOK = 'docs-sync-webhook';
const BUILDER = 'docs-sync-builder';
const S_YAML = join(ROOT, 's.yaml');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Linux process state letter: T = stopped (frozen by SIGSTOP). */
const processState = (pid: number) => /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];

describe('webhook function package on the FC emulator', () => {
  let dir: string;
  let fc: FcEmulator;
  let inputs: string[] = [];
  const deployEnv = { GITHUB_WEBHOOK_SECRET: SECRET, PUBLIC_URL: 'https://docs.example.com' };
  // s.yaml keeps the build records on OSS (DEPLOY_TARGET=oss); the webhook alone here uses its /tmp store.
  const local = { DEPLOY_TARGET: 'local' };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-emu-webhook-'));
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n');
    inputs = (await packageFunctions({ outRoot: dir, sourcesFile: join(dir, 'sources.yaml'), builder: false })).webhookInputs ?? [];
    fc = await startFcEmulator({ sYaml: S_YAML, codeRoot: dir, deployEnv, hold: [BUILDER], functionEnv: { [WEBHOOK]: local } });
  });
  after(async () => {
    await fc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is one bundle (what a cold start runs, plus chunks loaded on first use) and the sources file, well under 1 MB zipped, without the builder's code", () => {
    const code = join(dir, 'dist/fc/webhook');
    assert.deepEqual(readdirSync(code).sort(), ['chunks', 'index.mjs', 'sources.json']);
    // chunks/: what is imported on first use (the OSS SDK), and the licence notices of the bundled packages.
    const chunks = readdirSync(join(code, 'chunks'));
    assert.ok(
      chunks.every((f) => /^[\w-]+\.mjs(\.LEGAL\.txt)?$/.test(f)),
      chunks.join(', '),
    );
    const files = ['index.mjs', ...chunks.map((f) => `chunks/${f}`)];
    const zipped = files.reduce((n, f) => n + gzipSync(readFileSync(join(code, f))).length, 0);
    assert.ok(zipped < 1024 * 1024, `under 1 MB compressed (${zipped} bytes)`);
    assert.ok(readFileSync(join(code, 'index.mjs')).length < 400 * 1024, 'the part every cold start parses stays small');
    const packages = new Set(inputs.filter((i) => i.includes('node_modules/')).map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)![1]!));
    for (const needed of ['@octokit/webhooks', 'zod', 'ali-oss']) assert.ok(packages.has(needed), `${needed} is bundled`);
    // Nothing of the builder's: no site generator, search indexer, image tools, mailer or GitHub REST client.
    const builders = [...packages].filter((p) =>
      /^(astro|@astrojs\/.*|sharp|pagefind|vite|esbuild|nodemailer|@octokit\/rest|unified|remark.*|hast-.*)$/.test(p),
    );
    assert.deepEqual(builders, []);
    // The OSS objects (build records and releases in the bucket) are the webhook's too; no other deploy, build or transform code.
    assert.deepEqual(
      inputs.filter((i) => /functions\/core\/(build|deploy\/(?!oss\/)|pipeline|transform|queue\/openDatabase)/.test(i)),
      [],
    );
    assert.deepEqual(JSON.parse(readFileSync(join(code, 'sources.json'), 'utf8')).sources[0].repo, 'acme/widgets');
  });

  it('starts cold from its package and answers a signed push 202 only after FC accepted the async task', async () => {
    const runner = fc.runners.get(WEBHOOK)!;
    assert.equal(runner.starts.length, 0, 'no instance before the first request');
    const d = await signedDelivery(SECRET, 'push', pushPayload('acme/widgets', 'main', { sha: 'b'.repeat(40) }));
    const r = await postDelivery(`${fc.triggerUrls[WEBHOOK]}/webhook`, d);
    const answeredAt = Date.now();
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(runner.starts.length, 1, 'one cold start');
    const task = fc.queue.tasks.get(`gh-${d.guid}`);
    assert.ok(task, 'the task was in FC before the answer');
    assert.ok(task.acceptedAt <= answeredAt);
    assert.equal(task.functionName, BUILDER);
    assert.equal(JSON.parse(task.payload.toString()).build.id, r.body.id);
    assert.match(runner.instance()!.output(), /listening on \d+ \(Node v22\./);
    // The status API answers from the build store.
    const builds = await (await fetch(`${fc.triggerUrls[WEBHOOK]}/builds`)).json();
    assert.deepEqual(
      builds.builds.map((b: { id: string; state: string }) => [b.id, b.state]),
      [[r.body.id, 'queued']],
    );
    assert.equal((await fetch(`${fc.triggerUrls[WEBHOOK]}/_builds/`)).status, 200);
    assert.equal((await (await fetch(`${fc.triggerUrls[WEBHOOK]}/deliveries`)).json()).deliveries[0].guid, d.guid);
  });

  it('answers a redelivery as a duplicate: FC refused the repeated task id with 409', async () => {
    const d = await signedDelivery(SECRET, 'push', pushPayload('acme/widgets', 'main'));
    assert.equal((await postDelivery(`${fc.triggerUrls[WEBHOOK]}/webhook`, d)).status, 202);
    const tasks = fc.queue.tasks.size;
    const again = await postDelivery(`${fc.triggerUrls[WEBHOOK]}/webhook`, d);
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    assert.equal(fc.queue.tasks.size, tasks);
    assert.deepEqual(fc.apiRequests.at(-1), {
      path: `/2023-03-30/functions/${BUILDER}/invocations`,
      status: 409,
      code: 'StatefulAsyncInvocationAlreadyExists',
    });
  });

  it("is frozen between requests and keeps FC's connections: still answers after an idle spell", async () => {
    const url = fc.triggerUrls[WEBHOOK]!;
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    await sleep(100);
    assert.equal(processState(fc.runners.get(WEBHOOK)!.instance()!.child.pid!), 'T', 'frozen while idle');
    await sleep(400);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    assert.equal(fc.runners.get(WEBHOOK)!.starts.length, 1, 'the same instance');
  });

  it('replaces an instance that died with a new one (a cold start), as FC does', async () => {
    const runner = fc.runners.get(WEBHOOK)!;
    const before = runner.starts.length;
    const dead = runner.instance()!;
    dead.thaw();
    dead.child.kill('SIGKILL');
    await new Promise((r) => dead.child.once('exit', r));
    assert.equal((await fetch(`${fc.triggerUrls[WEBHOOK]}/healthz`)).status, 200);
    assert.equal(runner.starts.length, before + 1);
    assert.notEqual(runner.instance()!.id, dead.id);
  });

  it('sends a reader of GET / to the site at PUBLIC_URL', async () => {
    const res = await fetch(`${fc.triggerUrls[WEBHOOK]}/guide/`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), 'https://docs.example.com/guide/');
  });

  it('refuses async payloads over 128 KB and unsigned calls, like FC', async () => {
    const c = fc.credentials[WEBHOOK]!;
    const call = async (body: string, creds = c) => {
      const url = new URL(`/2023-03-30/functions/${BUILDER}/invocations`, fc.apiUrl);
      const headers = signAcs3(
        {
          method: 'POST',
          url,
          body,
          action: 'InvokeFunction',
          version: '2023-03-30',
          headers: { 'content-type': 'application/json', 'x-fc-invocation-type': 'Async', 'x-fc-async-task-id': `t-${Math.random().toString(16).slice(2)}` },
        },
        creds,
      );
      delete headers.host;
      return fetch(url, { method: 'POST', headers, body });
    };
    assert.equal((await call('{"ok":1}')).status, 202);
    const big = await call(JSON.stringify({ pad: 'x'.repeat(128 * 1024) }));
    assert.equal(big.status, 400);
    assert.equal(((await big.json()) as { Code: string }).Code, 'EntityTooLarge');
    const forged = await call('{"ok":2}', { ...c, accessKeySecret: 'not-the-secret' });
    assert.equal(forged.status, 403);
  });

  it("signs with each request's fresh credentials (x-fc-* headers), not the instance's stale ones", async () => {
    const stale = await startFcEmulator({
      sYaml: S_YAML,
      codeRoot: dir,
      deployEnv,
      hold: [BUILDER],
      functionEnv: { [WEBHOOK]: { ...local, ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'expired-secret', ALIBABA_CLOUD_SECURITY_TOKEN: 'expired-token' } },
    });
    try {
      const d = await signedDelivery(SECRET, 'push', pushPayload('acme/widgets', 'main'));
      const r = await postDelivery(`${stale.triggerUrls[WEBHOOK]}/webhook`, d);
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.ok(stale.queue.tasks.has(`gh-${d.guid}`));
      assert.doesNotMatch(stale.runners.get(WEBHOOK)!.instance()!.output(), /expired-secret|expired-token/);
    } finally {
      await stale.close();
    }
  });

  it("turns an idle timeout below FC's requirement into the 502 FC would answer", async () => {
    const short = await startFcEmulator({
      sYaml: S_YAML,
      codeRoot: dir,
      deployEnv,
      hold: [BUILDER],
      resumeDelayMs: 400,
      functionEnv: { [WEBHOOK]: { ...local, KEEP_ALIVE_TIMEOUT_MS: '150' } },
    });
    try {
      const url = short.triggerUrls[WEBHOOK]!;
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      await sleep(500);
      const res = await fetch(`${url}/healthz`);
      assert.equal(res.status, 502);
      assert.match(await res.text(), /closed a kept-alive connection/);
    } finally {
      await short.close();
    }
  });
});
