import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { createBuildNotifier } from '../../functions/core/notify/createBuildNotifier.ts';
import { gitHubWebUrl, rebuildTargets } from '../../functions/core/notify/reportFor.ts';
import { secretsOf } from '../../functions/core/notify/secretsOf.ts';
import { verifyRebuildParams } from '../../functions/core/rebuild/rebuildLink.ts';
import type { SourceConfig } from '../../functions/core/types.ts';
import { startDingTalkStandIn } from '../support/dingTalkStandIn.ts';
import { startNotifyStandIns } from '../support/notifyStandIns.ts';
import { degradedBuild, NEW_SHA, OLD_SHA, sampleReport } from './sampleReport.ts';

const SOURCES: SourceConfig[] = [
  { id: 'fc', title: 'FC', repo: { owner: 'acme', name: 'docs' }, paths: ['docs'] },
  { id: 's3', title: 'S3', repo: { owner: 'acme', name: 's3' }, paths: ['docs'] },
  { id: 'cli', title: 'CLI', repo: { owner: 'acme', name: 'cli' }, paths: ['docs'] },
  { id: 'oss', title: 'OSS', localPath: '/srv/oss', paths: ['.'] },
];
const REBUILD_TOKEN = 'rebuild-0123456789-token';
const DING_SECRET = 'SECbuildnotifier0123456789abcdef0123456789abcdef0123456789abcd';
const DING_TOKEN = 'ding-build-notifier-token';

test('GitHub web host from GITHUB_API_URL: github.com and Enterprise', () => {
  assert.equal(gitHubWebUrl('https://api.github.com'), 'https://github.com');
  assert.equal(gitHubWebUrl('https://ghe.example.com/api/v3/'), 'https://ghe.example.com');
  assert.equal(gitHubWebUrl('http://127.0.0.1:4567'), 'http://127.0.0.1:4567');
});

test('the Rebuild button rebuilds the troubled sources, else what the build was asked for', () => {
  const degraded = sampleReport(degradedBuild()).build;
  assert.deepEqual(rebuildTargets(degraded, SOURCES), ['s3']);
  const push = sampleReport().build;
  assert.deepEqual(rebuildTargets(push, SOURCES), ['fc']);
  const failed = sampleReport({
    state: 'failed',
    sources: [],
    request: {
      pushes: [{ repo: 'ACME/cli', ref: 'refs/heads/main', sha: 'x', pushers: ['a'], deliveries: 1 }],
      manual: { full: false, sources: ['oss'], requestedBy: ['b'] },
    },
  }).build;
  assert.deepEqual(rebuildTargets(failed, SOURCES), ['oss', 'cli']);
  assert.deepEqual(rebuildTargets(sampleReport({ trigger: { kind: 'manual', full: true } }).build, SOURCES), [], 'all sources');
  const elsewhere = sampleReport({
    state: 'skipped',
    sources: [],
    trigger: { kind: 'push', repo: 'acme/other', ref: 'refs/heads/main', sha: 'x', pusher: 'a', delivery: 'd' },
  }).build;
  assert.equal(rebuildTargets(elsewhere, SOURCES), undefined, 'nothing to rebuild for an untracked repository');
});

test('a degraded build reaches DingTalk as an action card and mail as text + HTML table, with compare and rebuild links', async (t) => {
  const { robot, smtp, config } = await startNotifyStandIns(t, {
    dingSecret: DING_SECRET,
    dingToken: DING_TOKEN,
    smtpPass: 'mail-pass-123',
    env: { PUBLIC_URL: 'https://docs.example.com/', GITHUB_API_URL: 'https://ghe.example.com/api/v3', REBUILD_TOKEN },
  });
  const logged: string[] = [];
  const now = () => Date.parse('2024-05-01T08:02:00Z');
  const notifier = createBuildNotifier({ config, sources: SOURCES, secrets: secretsOf(config), log: (l) => logged.push(l), now });
  const build = sampleReport(degradedBuild()).build;
  assert.deepEqual(await notifier.notify(build), [
    { name: 'dingtalk', ok: true },
    { name: 'email', ok: true },
  ]);
  assert.deepEqual(logged, [`[${build.id}] dingtalk notification sent`, `[${build.id}] email notification sent`]);

  const compare = `https://ghe.example.com/acme/docs/compare/${OLD_SHA}...${NEW_SHA}`;
  const card = robot.messages[0]!;
  assert.equal(card.msgtype, 'actionCard');
  assert.match(card.text, /s3 is stale: fetching failed, so the site still serves its last good copy/);
  assert.match(card.text, /\*\*s3\*\*: stale, the site still serves the copy fetched 2024-04-30 22:15 UTC \(at 9e8d7c6\); error: GitHub answered 502/);
  assert.ok(card.text.includes(`**fc**: [0a1b2c3 → 3f9c2a1](${compare}) by alice, bob; 42 pages, 2 broken links`), card.text);
  assert.match(card.text, /3 added, 4 changed, 2 removed/);
  assert.match(card.text, /docs\/command\/deploy\.md:12/);
  assert.equal(card.btns?.[0]?.actionURL, `https://docs.example.com/_builds/${build.id}`);
  const rebuild = new URL(card.btns?.[1]?.actionURL ?? 'x:');
  assert.equal(`${rebuild.origin}${rebuild.pathname}`, 'https://docs.example.com/rebuild/confirm');
  const check = verifyRebuildParams(rebuild.searchParams, REBUILD_TOKEN, now());
  assert.deepEqual(check, { ok: true, sources: ['s3'], full: false, exp: now() / 1000 + 7 * 86_400 });

  const mail = smtp.messages[0]!;
  assert.equal(mail.subject, 'Docs build degraded: acme/docs main 3f9c2a1');
  assert.match(mail.text ?? '', /^- s3: stale, the site still serves the copy fetched 2024-04-30 22:15 UTC/m);
  assert.ok((mail.text ?? '').includes(`- fc: 0a1b2c3 → 3f9c2a1 (${compare}) by alice, bob`));
  assert.match(mail.html ?? '', /<th[^>]*>Source<\/th>.*<td[^>]*>s3<\/td><td[^>]*><strong[^>]*>stale<\/strong><\/td>/s);
  assert.ok((mail.html ?? '').includes(`<a href="${compare}">0a1b2c3 → 3f9c2a1</a>`));
  assert.match(mail.html ?? '', /<a href="https:\/\/docs\.example\.com\/rebuild\/confirm\?sources=s3&#38;full=0&#38;exp=\d+&#38;sig=[\w-]+">Rebuild<\/a>/);

  const everything = [JSON.stringify(robot.messages.map((m) => m.body)), mail.raw, ...logged].join('\n');
  for (const s of [REBUILD_TOKEN, DING_SECRET, DING_TOKEN, 'mail-pass-123']) assert.ok(!everything.includes(s), `leaked ${s}`);
});

test('without REBUILD_TOKEN there is no Rebuild button, and a failed build says its phase', async (t) => {
  const robot = await startDingTalkStandIn({ accessToken: DING_TOKEN });
  t.after(() => robot.close());
  const config = loadConfig({ cwd: tmpdir(), env: { PUBLIC_URL: 'https://docs.example.com', DINGTALK_WEBHOOK_URL: robot.url } });
  const notifier = createBuildNotifier({ config, sources: SOURCES, secrets: secretsOf(config), log: () => {} });
  await notifier.notify(sampleReport({ state: 'failed', attempts: 4, error: { phase: 'transform', message: 'docs/x.md: invalid front matter' } }).build);
  const msg = robot.messages[0]!;
  assert.deepEqual(
    msg.btns?.map((b) => b.title),
    ['Open build'],
  );
  assert.match(msg.text, /failed in the transform phase after 4 attempts/);
  assert.match(msg.text, /What to do: a document could not be converted/);
  assert.doesNotMatch(msg.text, /rebuild\/confirm/);
});
