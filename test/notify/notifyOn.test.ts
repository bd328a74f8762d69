import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { createBuildNotifier } from '../../functions/core/notify/createBuildNotifier.ts';
import { startLocal } from '../../functions/local/startLocal.ts';
import { startDingTalkStandIn } from '../support/dingTalkStandIn.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';
import { sampleReport } from './sampleReport.ts';

const WEBHOOK_SECRET = 'whsec-notify-on-0123';
const DING_TOKEN = 'ding-access-token-notify-on';

test('NOTIFY_ON: default failed,degraded,succeeded; a list opts in; unknown words are refused by name', () => {
  const cwd = tmpdir();
  assert.deepEqual(loadConfig({ cwd, env: {} }).notifyOn, ['failed', 'degraded', 'succeeded']);
  assert.deepEqual(loadConfig({ cwd, env: { NOTIFY_ON: ' Failed, skipped ,superseded' } }).notifyOn, ['failed', 'skipped', 'superseded']);
  assert.deepEqual(loadConfig({ cwd, env: { NOTIFY_ON: 'none' } }).notifyOn, []);
  assert.throws(
    () => loadConfig({ cwd, env: { NOTIFY_ON: 'failed,skiped' } }),
    (err: Error) => {
      assert.match(
        err.message,
        /NOTIFY_ON: unknown state "skiped": use a comma-separated list of succeeded, degraded, failed, skipped, superseded \(default failed,degraded,succeeded\), or none/,
      );
      return true;
    },
  );
});

test('only the states NOTIFY_ON lists are sent', async (t) => {
  const robot = await startDingTalkStandIn({ accessToken: DING_TOKEN });
  t.after(() => robot.close());
  const config = loadConfig({ cwd: tmpdir(), env: { DINGTALK_WEBHOOK_URL: robot.url, NOTIFY_ON: 'failed' } });
  const notifier = createBuildNotifier({ config, sources: [], secrets: [], log: () => {} });
  assert.deepEqual(await notifier.notify(sampleReport().build), []);
  assert.equal(robot.messages.length, 0);
  assert.deepEqual(await notifier.notify(sampleReport({ state: 'failed', error: { phase: 'deploy', message: 'ENOSPC' } }).build), [
    { name: 'dingtalk', ok: true },
  ]);
  assert.equal(robot.messages.length, 1);
  assert.match(robot.messages[0]!.text, /failed in the deploy phase/);
});

/** A server without a builder (builds stay queued) whose webhook tracks acme/widgets on main. */
async function server(t: TestContext, notifyOn?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'notify-on-'));
  const robot = await startDingTalkStandIn({ accessToken: DING_TOKEN });
  writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n');
  const env: Record<string, string> = {
    SOURCES_FILE: join(dir, 'sources.yaml'),
    DATA_DIR: join(dir, 'data'),
    PORT: '0',
    PUBLIC_URL: 'https://docs.example.com',
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    DINGTALK_WEBHOOK_URL: robot.url,
    REBUILD_TOKEN: 'rebuild-token-notify-on',
  };
  if (notifyOn) env.NOTIFY_ON = notifyOn;
  const rt = await startLocal({ env, cwd: dir, builder: false, host: '127.0.0.1', log: () => {}, queue: { coalesceWindowMs: 60_000 } });
  t.after(async () => {
    await rt.close();
    await robot.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const push = async (branch: string, sha: string) => {
    const payload = pushPayload('acme/widgets', branch, { sha, pusher: 'alice', commits: [{ modified: ['docs/readme.md'] }] });
    const res = await postDelivery(`${rt.url}/webhook`, await signedDelivery(WEBHOOK_SECRET, 'push', payload));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body as { id: string; skipped?: boolean };
  };
  return { rt, robot, push };
}

test('skipped and superseded builds send nothing by default', async (t) => {
  const { rt, robot, push } = await server(t);
  const skipped = await push('feature', 'a'.repeat(40));
  assert.equal(skipped.skipped, true);
  const first = await push('main', 'b'.repeat(40));
  await push('main', 'c'.repeat(40));
  assert.equal(rt.queue.get(first.id)?.state, 'superseded', 'the scenario did supersede a build');
  assert.equal(rt.queue.get(skipped.id)?.state, 'skipped');
  await rt.notifier.settled();
  assert.equal(robot.messages.length, 0);
});

test('NOTIFY_ON=skipped,superseded reports them after the 202, with the reason and the carrier', async (t) => {
  const { rt, robot, push } = await server(t, 'skipped,superseded');
  const skipped = await push('feature', 'a'.repeat(40));
  const first = await push('main', 'b'.repeat(40));
  const second = await push('main', 'c'.repeat(40));
  await rt.notifier.settled();
  assert.equal(robot.messages.length, 2);
  const [skipMsg, supersededMsg] = robot.messages;
  assert.match(skipMsg!.title ?? '', /^Docs build skipped: acme\/widgets feature aaaaaaa$/);
  assert.match(skipMsg!.text, new RegExp(`${skipped.id} was skipped: branch feature is not tracked for acme/widgets \\(tracked: main\\)`));
  assert.match(supersededMsg!.text, new RegExp(`${first.id} was not built on its own: newer build ${second.id} carries its changes\\.`));
  assert.deepEqual(
    supersededMsg!.btns?.map((b) => b.title),
    ['Open build'],
    'no rebuild button: the carrier builds it',
  );
  assert.ok(supersededMsg!.text.includes(`https://docs.example.com/_builds/${second.id}`));
  // The carrier itself is still waiting: nothing about it yet.
  assert.equal(rt.queue.get(second.id)?.state, 'queued');
  for (const m of robot.messages) assert.ok(!JSON.stringify(m.body).includes('rebuild-token-notify-on'));
});

test('a skipped delivery is answered 202 while its notification is still waiting for DingTalk', async (t) => {
  // A robot that holds every request until the test lets it answer: if the webhook waited for the
  // notification, the 202 below would never arrive and the test would time out.
  const held: Array<() => void> = [];
  let arrived!: () => void;
  const firstRequest = new Promise<void>((resolve) => (arrived = resolve));
  const robot = createServer((req, res) => {
    req.resume();
    held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}'));
    arrived();
  });
  await new Promise<void>((resolve) => robot.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(join(tmpdir(), 'notify-on-'));
  writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n');
  const logged: string[] = [];
  const rt = await startLocal({
    env: {
      SOURCES_FILE: join(dir, 'sources.yaml'),
      DATA_DIR: join(dir, 'data'),
      PORT: '0',
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      DINGTALK_WEBHOOK_URL: `http://127.0.0.1:${(robot.address() as AddressInfo).port}/robot/send?access_token=${DING_TOKEN}`,
      NOTIFY_ON: 'skipped',
    },
    cwd: dir,
    builder: false,
    host: '127.0.0.1',
    log: (l) => logged.push(l),
  });
  t.after(async () => {
    await rt.close();
    robot.closeAllConnections();
    await new Promise<void>((resolve) => robot.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });
  const payload = pushPayload('acme/widgets', 'main', { sha: 'd'.repeat(40), deleted: true });
  const res = await postDelivery(`${rt.url}/webhook`, await signedDelivery(WEBHOOK_SECRET, 'push', payload));
  assert.equal(res.status, 202);
  assert.equal(res.body.skipped, true);
  await firstRequest;
  assert.equal(held.length, 1);
  held[0]!();
  await rt.notifier.settled();
  assert.ok(
    logged.some((l) => l === `[${res.body.id}] dingtalk notification sent`),
    logged.join('\n'),
  );
});
