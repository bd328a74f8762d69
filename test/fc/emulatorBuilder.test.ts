/**
 * Both built packages on the FC emulator: a signed push reaches the webhook function (cold), which
 * answers 202 once FC accepted the task; FC's async queue delivers the job to the builder package's
 * POST /invoke (FC's headers and credentials, the instance frozen in between), which builds and
 * deploys it and notifies DingTalk. A build that fails every attempt is retried by FC per
 * maxAsyncRetryAttempts, then FC's onFailure destination event marks it failed: notified once.
 * DATA_DIR is one folder for both functions here, standing in for the shared build store on OSS.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { currentRelease } from '../../functions/core/deploy/deployRelease.ts';
import { buildStoreDir, createFileBuildStore } from '../../functions/fc/createFileBuildStore.ts';
import { parseDestinationEvent } from '../../functions/fc/parseDestinationEvent.ts';
import { packageFunctions, ROOT } from '../../scripts/package-fc.ts';
import { startDingTalkStandIn, type DingTalkStandIn } from '../support/dingTalkStandIn.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { startFcEmulator, type FcEmulator } from '../support/fcEmulator/startFcEmulator.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';

const SECRETS = { webhook: 'whsec-emu-builder-77', github: 'ghp_emuBuilderToken0123', dingtalk: 'SECemu-builder-dingtalk' };
const WEBHOOK = 'docs-sync-webhook';
const BUILDER = 'docs-sync-builder';

describe('webhook and builder packages on the FC emulator', () => {
  let dir: string;
  let gh: FakeGitHub;
  let ding: DingTalkStandIn;
  const emulators: FcEmulator[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-emu-builder-'));
    writeFileSync(
      join(dir, 'sources.yaml'),
      'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n  - id: broken\n    title: Broken\n    repo: acme/broken\n',
    );
    await packageFunctions({ outRoot: join(dir, 'pkg'), sourcesFile: join(dir, 'sources.yaml'), builder: false });
    await packageFunctions({ outRoot: join(dir, 'pkg'), webhook: false });
    gh = await startFakeGitHub({ token: SECRETS.github });
    ding = await startDingTalkStandIn({ secret: SECRETS.dingtalk, accessToken: 'emu' });
  });
  after(async () => {
    for (const e of emulators) await e.close();
    await gh?.close();
    await ding?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An emulator whose functions share one data folder and read this test's sources file. */
  async function emulator(name: string, sources: string) {
    const dataDir = join(dir, name);
    writeFileSync(join(dir, `${name}.yaml`), sources);
    const common = { DATA_DIR: dataDir };
    const fc = await startFcEmulator({
      sYaml: join(ROOT, 's.yaml'),
      codeRoot: join(dir, 'pkg'),
      deployEnv: {
        GITHUB_WEBHOOK_SECRET: SECRETS.webhook,
        GITHUB_TOKEN: SECRETS.github,
        GITHUB_API_URL: gh.url,
        DINGTALK_WEBHOOK_URL: ding.url,
        DINGTALK_SECRET: SECRETS.dingtalk,
        PUBLIC_URL: 'https://docs.example.com',
      },
      // The site and build records go to the local folder here; OSS: test/fc/wholeStory.test.ts.
      functionEnv: {
        [WEBHOOK]: { ...common, DEPLOY_TARGET: 'local' },
        [BUILDER]: { ...common, SOURCES_FILE: join(dir, `${name}.yaml`), DEPLOY_TARGET: 'local' },
      },
      backoffMs: 50,
    });
    emulators.push(fc);
    return { fc, store: createFileBuildStore(buildStoreDir(dataDir)), dataDir };
  }

  it('carries exactly one Node binary, no npm "node" package, no C headers and no dev packages', () => {
    const code = join(dir, 'pkg/dist/fc/builder');
    const nodes: string[] = [];
    const headers: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === 'node' && e.isFile()) nodes.push(p);
        else if (/\.(h|hpp)$/.test(e.name)) headers.push(p);
      }
    };
    walk(code);
    assert.deepEqual(nodes, [join(code, 'node/bin/node')]);
    assert.deepEqual(headers, []);
    for (const dev of ['node', 'playwright', 'ajv', 'smtp-server', '@types/smtp-server', '@octokit/webhooks-examples'])
      assert.ok(!existsSync(join(code, 'node_modules', dev)), dev);
    for (const prod of ['astro', '@astrojs/starlight', 'zod']) assert.ok(existsSync(join(code, 'node_modules', prod, 'package.json')), prod);
  });

  it('push → webhook 202 → FC async queue → builder builds, deploys and notifies', async () => {
    const first = await gh.createRepo('acme', 'widgets', { 'docs/readme.md': '# Widgets\n\nWidgets make things.\n' });
    const sha = await gh.commit('acme', 'widgets', { files: { 'docs/setup.md': '# Setup\n\nInstall the widget — 新的步骤.\n' }, message: 'docs: setup' });
    const { fc, store, dataDir } = await emulator('ok', 'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n');
    const d = await signedDelivery(
      SECRETS.webhook,
      'push',
      pushPayload('acme/widgets', 'main', { sha, before: first, pusher: 'alice', commits: [{ added: ['docs/setup.md'] }] }),
    );
    const ack = await postDelivery(`${fc.triggerUrls[WEBHOOK]}/webhook`, d);
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    assert.ok(fc.queue.tasks.has(`gh-${d.guid}`));

    await fc.queue.settled();
    const task = fc.queue.tasks.get(`gh-${d.guid}`)!;
    assert.equal(task.status, 'Succeeded', JSON.stringify(task.attempts));
    assert.equal(task.attempts.length, 1);
    const build = (await store.get(ack.body.id))!;
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    assert.equal(build.sources.find((s) => s.id === 'widgets')?.sha, sha);
    const current = (await currentRelease(dataDir))!;
    assert.match(readFileSync(join(current.path, 'widgets', 'setup', 'index.html'), 'utf8'), /新的步骤/);
    const mine = ding.messages.filter((m) => m.text.includes(ack.body.id));
    assert.equal(mine.length, 1);
    // The webhook function shows the builder's record.
    const listed = await (await fetch(`${fc.triggerUrls[WEBHOOK]}/builds/${ack.body.id}`)).json();
    assert.equal(listed.state, 'succeeded');
    assert.match(fc.runners.get(BUILDER)!.instance()!.output(), /FC Invoke Start RequestId: 1-/);
  });

  it('a build failing every attempt is retried by FC, then the destination event fails it: notified once', async () => {
    const { fc, store } = await emulator('fail', 'sources:\n  - id: broken\n    title: Broken\n    repo: acme/broken\n');
    const d = await signedDelivery(SECRETS.webhook, 'push', pushPayload('acme/broken', 'main', { sha: 'd'.repeat(40) }));
    const ack = await postDelivery(`${fc.triggerUrls[WEBHOOK]}/webhook`, d);
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    await fc.queue.settled();
    const task = fc.queue.tasks.get(`gh-${d.guid}`)!;
    assert.equal(task.status, 'Failed');
    assert.equal(task.attempts.length, 4, 'the first attempt and maxAsyncRetryAttempts (3) retries');
    for (const a of task.attempts) assert.deepEqual([a.status, a.fcStatus], [404, '404']);
    // FC's destination event, as the builder's parser reads it.
    const event = parseDestinationEvent(task.destinationEvent);
    assert.equal(event?.condition, 'UnhandledInvocationError');
    assert.equal(event?.invokeCount, 4);
    assert.deepEqual((event!.payload as { build: { id: string } }).build.id, ack.body.id);
    const destination = [...fc.queue.tasks.values()].find((t) => t.taskId.startsWith('dest-'))!;
    assert.equal(destination.functionName, BUILDER);
    assert.equal(destination.status, 'Succeeded');
    const build = (await store.get(ack.body.id))!;
    assert.equal(build.state, 'failed');
    assert.equal(build.attempts, 4);
    assert.match(build.error!.message, /gave up after 4 attempt\(s\) \(UnhandledInvocationError/);
    const mine = ding.messages.filter((m) => m.text.includes(ack.body.id));
    assert.equal(mine.length, 1, 'one notification, from the destination event');
    assert.match(mine[0]!.text, /fail/i);
  });

  it('never logs a secret', () => {
    const output = emulators.flatMap((e) => [...e.runners.values()].map((r) => r.instance()?.output() ?? '')).join('\n');
    for (const s of Object.values(SECRETS)) assert.ok(!output.includes(s), 'secret in a function log');
  });
});
