import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createDingTalkNotifier } from '../../functions/core/notify/createDingTalkNotifier.ts';
import { formatReport } from '../../functions/core/notify/formatReport.ts';
import { startDingTalkStandIn } from '../support/dingTalkStandIn.ts';
import { rebuildLink } from '../../functions/core/rebuild/rebuildLink.ts';
import { degradedBuild, sampleReport } from './sampleReport.ts';

const SECRET = 'SEC1f0e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const TOKEN = 'a9b8c7d6e5f40312ffeeddccbbaa99887766554433221100aabbccddeeff0011';

function assertNoSecrets(text: string): void {
  assert.ok(!text.includes(SECRET), `secret leaked: ${text}`);
  assert.ok(!text.includes(TOKEN), `access_token leaked: ${text}`);
}

test('a signed markdown message is accepted by a robot that checks the signature', async (t) => {
  const robot = await startDingTalkStandIn({ secret: SECRET, accessToken: TOKEN });
  t.after(() => robot.close());
  const report = sampleReport();
  await createDingTalkNotifier({ url: robot.url, secret: SECRET, actionCard: false }).send(report);
  assert.equal(robot.messages.length, 1);
  const msg = robot.messages[0]!;
  assert.equal(msg.msgtype, 'markdown');
  assert.equal(msg.title, formatReport(report).title);
  assert.equal(msg.text, formatReport(report).markdown);
  assert.match(msg.query.timestamp ?? '', /^\d{13}$/);
  assert.ok(msg.query.sign, 'the request carried a signature');
});

test('a report with a public build page is an action card: "Open build" and a signed "Rebuild", no token anywhere', async (t) => {
  const robot = await startDingTalkStandIn({ secret: SECRET, accessToken: TOKEN, keyword: '文档' });
  t.after(() => robot.close());
  const rebuildToken = 'rb-token-0123456789abcdef';
  const rebuildUrl = rebuildLink({ publicUrl: 'https://docs.example.com', token: rebuildToken, sources: ['fc'] });
  const report = sampleReport(degradedBuild(), { rebuildUrl });
  await createDingTalkNotifier({ url: robot.url, secret: SECRET, keyword: '文档' }).send(report);
  assert.deepEqual(robot.answers, [{ errcode: 0, errmsg: 'ok' }]);
  const msg = robot.messages[0]!;
  assert.equal(msg.msgtype, 'actionCard');
  assert.equal(msg.title, `文档 ${formatReport(report).title}`);
  assert.ok(msg.text.startsWith(formatReport(report).markdown.slice(0, 200)));
  assert.match(msg.text, /s3 is stale/);
  assert.equal(msg.btnOrientation, '1');
  assert.deepEqual(msg.btns, [
    { title: 'Open build', actionURL: 'https://docs.example.com/_builds/b-20240501-0007' },
    { title: 'Rebuild', actionURL: rebuildUrl },
  ]);
  assert.match(rebuildUrl, /^https:\/\/docs\.example\.com\/rebuild\/confirm\?sources=fc&full=0&exp=\d+&sig=[\w-]{43}$/);
  const raw = JSON.stringify(msg.body);
  for (const s of [rebuildToken, SECRET, TOKEN]) assert.ok(!raw.includes(s), `message contains ${s}`);
});

test('without a rebuild link the card has one button; a localhost build page gives plain markdown', async (t) => {
  const robot = await startDingTalkStandIn({ accessToken: TOKEN });
  t.after(() => robot.close());
  const notifier = createDingTalkNotifier({ url: robot.url });
  await notifier.send(sampleReport());
  await notifier.send(sampleReport({}, { siteUrl: 'http://localhost:8080/', buildUrl: 'http://localhost:8080/_builds/b-1' }));
  assert.deepEqual(
    robot.messages.map((m) => m.msgtype),
    ['actionCard', 'markdown'],
  );
  assert.deepEqual(robot.messages[0]!.btns, [{ title: 'Open build', actionURL: 'https://docs.example.com/_builds/b-20240501-0007' }]);
});

test('the stand-in refuses action cards DingTalk would refuse', async (t) => {
  const robot = await startDingTalkStandIn({ accessToken: TOKEN, keyword: 'docs' });
  t.after(() => robot.close());
  const post = async (body: unknown) =>
    (await (await fetch(robot.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as {
      errcode: number;
    };
  const card = { title: 'docs build', text: 'docs build ok', btnOrientation: '1', btns: [{ title: 'Open', actionURL: 'https://docs.example.com/' }] };
  assert.equal((await post({ msgtype: 'actionCard', actionCard: { ...card, btns: [] } })).errcode, 40035);
  assert.equal((await post({ msgtype: 'actionCard', actionCard: { ...card, btns: [{ title: 'Open' }] } })).errcode, 40035);
  assert.equal((await post({ msgtype: 'actionCard', actionCard: { ...card, btnOrientation: 'sideways' } })).errcode, 40035);
  assert.equal((await post({ msgtype: 'actionCard', actionCard: { ...card, title: 'build', text: 'ok' } })).errcode, 310000);
  assert.equal((await post({ msgtype: 'actionCard', actionCard: card })).errcode, 0);
  assert.equal(robot.messages.length, 1);
});

test('a signature containing "+" and "/" survives URL encoding', async (t) => {
  // At this instant the signature for SECRET is HW+pqRKgrAIfSDEO/sMmDkAFfkZsJ+ZydIIrt5Vj7BE= .
  const now = () => 1_714_550_400_003;
  const robot = await startDingTalkStandIn({ secret: SECRET, accessToken: TOKEN, now });
  t.after(() => robot.close());
  await createDingTalkNotifier({ url: robot.url, secret: SECRET, now }).send(sampleReport());
  assert.equal(robot.messages[0]?.query.sign, 'HW+pqRKgrAIfSDEO/sMmDkAFfkZsJ+ZydIIrt5Vj7BE=');
});

test('a wrong secret gives a clear error naming DINGTALK_SECRET, without the secret or the token', async (t) => {
  const robot = await startDingTalkStandIn({ secret: SECRET, accessToken: TOKEN });
  t.after(() => robot.close());
  const wrong = `${SECRET.slice(0, -1)}0`;
  const err = await createDingTalkNotifier({ url: robot.url, secret: wrong })
    .send(sampleReport())
    .then(
      () => assert.fail('expected a refusal'),
      (e: Error) => e,
    );
  assert.match(err.message, /^DingTalk refused the message: errcode 310000 sign not match/);
  assert.match(err.message, /check DINGTALK_SECRET/);
  assert.match(err.message, /access_token=\*\*\*/);
  assertNoSecrets(err.message);
  assert.ok(!err.message.includes(wrong));
  assert.equal(robot.messages.length, 0);
});

test('an unsigned message to a signing robot is refused', async (t) => {
  const robot = await startDingTalkStandIn({ secret: SECRET, accessToken: TOKEN });
  t.after(() => robot.close());
  await assert.rejects(createDingTalkNotifier({ url: robot.url }).send(sampleReport()), /errcode 310000 (invalid timestamp|sign not match)/);
});

test('a timestamp over an hour off is refused with a hint about the clock', async (t) => {
  const robot = await startDingTalkStandIn({ secret: SECRET, accessToken: TOKEN });
  t.after(() => robot.close());
  const notifier = createDingTalkNotifier({ url: robot.url, secret: SECRET, now: () => Date.now() - 2 * 3_600_000 });
  await assert.rejects(notifier.send(sampleReport()), /errcode 310000 invalid timestamp.*check this machine's clock/);
});

test('the keyword is added when the message lacks it; without it the robot refuses', async (t) => {
  const robot = await startDingTalkStandIn({ accessToken: TOKEN, keyword: '文档构建' });
  t.after(() => robot.close());
  await assert.rejects(createDingTalkNotifier({ url: robot.url }).send(sampleReport()), /errcode 310000 keywords not in content.*DINGTALK_KEYWORD/);
  await createDingTalkNotifier({ url: robot.url, keyword: '文档构建' }).send(sampleReport());
  assert.equal(robot.messages.length, 1);
  assert.ok(robot.messages[0]!.text.includes('文档构建'));
});

test('an unknown access_token is reported as such', async (t) => {
  const robot = await startDingTalkStandIn({ accessToken: TOKEN });
  t.after(() => robot.close());
  const url = robot.url.replace(TOKEN, 'ffff0000');
  const err = await createDingTalkNotifier({ url })
    .send(sampleReport())
    .then(
      () => assert.fail('expected a refusal'),
      (e: Error) => e,
    );
  assert.match(err.message, /errcode 300001 token is not exist — check the access_token in DINGTALK_WEBHOOK_URL/);
  assert.ok(!err.message.includes('ffff0000'));
});

test('21 messages in a minute: the 21st waits for a free slot instead of being throttled', async (t) => {
  let clock = 1_714_550_400_000;
  const slept: number[] = [];
  const now = () => clock;
  const sleep = async (ms: number) => {
    slept.push(ms);
    clock += ms;
  };
  const robot = await startDingTalkStandIn({ secret: SECRET, accessToken: TOKEN, now });
  t.after(() => robot.close());
  const notifier = createDingTalkNotifier({ url: robot.url, secret: SECRET, now, sleep });
  for (let i = 0; i < 21; i++) await notifier.send(sampleReport());
  assert.equal(robot.messages.length, 21);
  assert.deepEqual(
    robot.answers.map((a) => a.errcode),
    Array(21).fill(0),
  );
  assert.equal(slept.length, 1, 'only the 21st message waited');
  assert.ok(slept[0]! >= 60_000, `waited ${slept[0]} ms`);
});

test('without the wait the robot throttles the 21st message (errcode 130101)', async (t) => {
  const clock = 1_714_550_400_000;
  const now = () => clock;
  const robot = await startDingTalkStandIn({ accessToken: TOKEN, now });
  t.after(() => robot.close());
  const notifier = createDingTalkNotifier({ url: robot.url, now, maxPerMinute: 1000 });
  for (let i = 0; i < 20; i++) await notifier.send(sampleReport());
  await assert.rejects(notifier.send(sampleReport()), /errcode 130101 send too fast/);
});

test('an unreachable webhook and a non-DingTalk answer give clear, redacted errors', async (t) => {
  const closed = await startDingTalkStandIn({ accessToken: TOKEN });
  const deadUrl = closed.url;
  await closed.close();
  const err = await createDingTalkNotifier({ url: deadUrl, secret: SECRET })
    .send(sampleReport())
    .then(
      () => assert.fail('expected failure'),
      (e: Error) => e,
    );
  assert.match(err.message, /^Could not reach the DingTalk webhook http:\/\/127\.0\.0\.1:\d+\/robot\/send\?access_token=\*\*\*: .+ check DINGTALK_WEBHOOK_URL/);
  assertNoSecrets(err.message);

  const proxy = createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>'));
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => proxy.close(() => r())));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/robot/send?access_token=${TOKEN}`;
  const err2 = await createDingTalkNotifier({ url })
    .send(sampleReport())
    .then(
      () => assert.fail('expected failure'),
      (e: Error) => e,
    );
  assert.match(err2.message, /DingTalk answered HTTP 502/);
  assertNoSecrets(err2.message);
});
