import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { createNotifiers } from '../../functions/core/notify/createNotifiers.ts';
import { createRateLimiter } from '../../functions/core/notify/createRateLimiter.ts';
import type { Notifier } from '../../functions/core/notify/Notifier.ts';
import { notifyAll } from '../../functions/core/notify/notifyAll.ts';
import { secretsOf } from '../../functions/core/notify/secretsOf.ts';
import { startNotifyStandIns } from '../support/notifyStandIns.ts';
import { sampleReport } from './sampleReport.ts';

const DING_SECRET = 'SECc0ffee00112233445566778899aabbccddeeff00112233445566778899aabb';
const DING_TOKEN = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const SMTP_PASS = 'mail-Pa55-w0rd';

function setup(t: import('node:test').TestContext, dingSecretInEnv: string) {
  return startNotifyStandIns(t, {
    dingSecret: DING_SECRET,
    dingToken: DING_TOKEN,
    smtpPass: SMTP_PASS,
    env: { DINGTALK_SECRET: dingSecretInEnv, MAIL_TO: 'team@example.com, lead@example.com', GITHUB_TOKEN: 'ghp_notInAnyMessage0123456789' },
  });
}

test('createNotifiers builds DingTalk and email from config; both deliver and nothing secret is in the messages', async (t) => {
  const { robot, smtp, config } = await setup(t, DING_SECRET);
  const notifiers = createNotifiers(config);
  assert.deepEqual(
    notifiers.map((n) => n.name),
    ['dingtalk', 'email'],
  );
  const logged: string[] = [];
  const results = await notifyAll(notifiers, sampleReport(), { secrets: secretsOf(config), log: (l) => logged.push(l) });
  assert.deepEqual(results, [
    { name: 'dingtalk', ok: true },
    { name: 'email', ok: true },
  ]);
  assert.deepEqual(logged, []);
  assert.equal(robot.messages.length, 1);
  assert.deepEqual(
    smtp.messages.map((m) => m.to),
    [['team@example.com', 'lead@example.com']],
  );
  const everything = [JSON.stringify(robot.messages.map((m) => m.body)), ...smtp.messages.flatMap((m) => [m.raw, m.text ?? '', m.html ?? '', m.subject])].join(
    '\n',
  );
  for (const s of [...secretsOf(config), DING_SECRET, DING_TOKEN, SMTP_PASS]) assert.ok(!everything.includes(s), `message contains ${s}`);
});

test('a failing notifier is reported, redacted, and does not stop the others', async (t) => {
  const { smtp, config } = await setup(t, `${DING_SECRET.slice(0, -4)}dead`);
  const logged: string[] = [];
  const results = await notifyAll(createNotifiers(config), sampleReport({ state: 'failed', error: { phase: 'build', message: 'exit 1' } }), {
    secrets: secretsOf(config),
    log: (l) => logged.push(l),
  });
  assert.equal(results[0]?.name, 'dingtalk');
  assert.equal(results[0]?.ok, false);
  assert.match(results[0]?.error ?? '', /errcode 310000 sign not match — check DINGTALK_SECRET/);
  assert.deepEqual(results[1], { name: 'email', ok: true });
  assert.equal(smtp.messages.length, 1, 'mail still went out');
  assert.match(smtp.messages[0]!.subject, /^Docs build failed/);
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /^Notification via dingtalk failed for build b-20240501-0007: DingTalk refused/);
  for (const s of [...secretsOf(config), DING_TOKEN]) assert.ok(!logged[0]!.includes(s) && !(results[0]?.error ?? '').includes(s));
});

test('notifyAll never throws: sync throws, non-Error rejections and a broken logger are all contained', async () => {
  const leaky: Notifier = {
    name: 'leaky',
    send: () => {
      throw new Error('auth failed for smtp://u:hunter2@mx:25 with token tok-123');
    },
  };
  const odd: Notifier = { name: 'odd', send: () => Promise.reject('plain string tok-123') };
  const fine: Notifier = { name: 'fine', send: async () => undefined };
  const results = await notifyAll([leaky, odd, fine], sampleReport(), {
    secrets: ['tok-123'],
    log: () => {
      throw new Error('logger down');
    },
  });
  assert.deepEqual(results, [
    { name: 'leaky', ok: false, error: 'auth failed for smtp://u:***@mx:25 with token ***' },
    { name: 'odd', ok: false, error: 'plain string ***' },
    { name: 'fine', ok: true },
  ]);
});

test('no notifiers are configured when the settings are absent', () => {
  const config = loadConfig({ cwd: tmpdir(), env: { SMTP_URL: 'smtp://127.0.0.1:25' } });
  assert.deepEqual(createNotifiers(config), []);
});

test('the rate limiter serves concurrent callers in order and waits only when the window is full', async () => {
  let clock = 0;
  const slept: number[] = [];
  const limiter = createRateLimiter({
    max: 2,
    windowMs: 1000,
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
  });
  const order: number[] = [];
  await Promise.all([1, 2, 3, 4, 5].map((i) => limiter.take().then(() => order.push(i))));
  assert.deepEqual(order, [1, 2, 3, 4, 5]);
  assert.deepEqual(slept, [1000, 1000]);
});
