/**
 * Per-source owners over real protocols: a real build (local folders, the real fetch, transform and
 * deploy; only Astro replaced) where source a has a broken link, b is fine and c (no owners) is broken
 * too. The operators get the whole report; a's owners get a's report only, by mail (real SMTP) and as
 * an @-mention on the site's robot (the stand-in checks the 加签 signature); b's owners get nothing,
 * until a build changes b and they asked for changes (on their own, signed robot).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { parseSources } from '../../functions/core/config/loadSources.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { createBuildNotifier } from '../../functions/core/notify/createBuildNotifier.ts';
import { concernsOwners, narrowBuild } from '../../functions/core/notify/ownerReport.ts';
import { secretsOf } from '../../functions/core/notify/secretsOf.ts';
import type { BuildRecord, SourceConfig } from '../../functions/core/types.ts';
import { startDingTalkStandIn } from '../support/dingTalkStandIn.ts';
import { fastSteps } from '../support/fastSteps.ts';
import { manualBuilds } from '../support/manualBuilds.ts';
import { startNotifyStandIns } from '../support/notifyStandIns.ts';

/** A succeeded build in which source a has one broken link: a problem its owners hear about. */
const brokenLinkBuild = (id: string): BuildRecord => ({
  id,
  state: 'succeeded',
  trigger: { kind: 'manual', full: false },
  createdAt: '',
  attempts: 1,
  phases: {},
  sources: [{ id: 'a', state: 'built', pages: 1, diagnostics: [{ source: 'a', file: 'x.md', kind: 'broken-link', message: 'x' }] }],
});

const DING_SECRET = 'SECsiteRobot0123456789abcdef0123456789abcdef0123456789abcdef0';
const OWN_SECRET = 'SECownersRobot9876543210fedcba9876543210fedcba9876543210fedcb';
const OWN_TOKEN = 'b-owners-robot-token';

test('a source with a broken link: its owners get its report only, other owners nothing, operators everything', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'owners-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { robot, smtp, config } = await startNotifyStandIns(t, { dingSecret: DING_SECRET, dingToken: 'site-robot-token', smtpPass: 'mail-pass-owners' });
  const own = await startDingTalkStandIn({ secret: OWN_SECRET, accessToken: OWN_TOKEN });
  t.after(() => own.close());
  for (const [id, body] of [
    ['a', '# Alpha\n\nSee [setup](./setup.md).\n'],
    ['b', '# Beta\n\nAll good.\n'],
    ['c', '# Gamma\n\nSee [gone](./gone.md).\n'],
  ] as const) {
    mkdirSync(join(dir, id));
    writeFileSync(join(dir, id, 'readme.md'), body);
  }
  const sources = parseSources(
    {
      sources: [
        { id: 'a', title: 'Alpha', path: 'a', owners: { mail: ['a-team@example.com'], dingtalk: { atMobiles: ['13800000001'] } } },
        { id: 'b', title: 'Beta', path: 'b', owners: { mail: ['b-team@example.com'], dingtalk: { url: own.url, secret: OWN_SECRET }, notify: 'changes' } },
        { id: 'c', title: 'Gamma', path: 'c' },
      ],
    },
    dir,
  );
  const logged: string[] = [];
  const notifier = createBuildNotifier({ config, sources, secrets: secretsOf(config), log: (l) => logged.push(l) });
  const steps = fastSteps((list, options) => fetchSources(list, options));
  const build = manualBuilds(sources, join(dir, 'data'), steps);

  const first = await build();
  assert.equal(first.state, 'succeeded');
  const results = await notifier.notify(first);
  assert.deepEqual(results.map((r) => `${r.name}: ${r.ok}`).sort(), [
    'dingtalk to owners of a: true',
    'dingtalk: true',
    'email to owners of a: true',
    'email: true',
  ]);

  const mailTo = (who: string) => smtp.messages.filter((m) => m.to.includes(who));
  assert.equal(mailTo('team@example.com').length, 1, 'operators: one mail');
  const ops = mailTo('team@example.com')[0]!;
  assert.match(ops.text ?? '', /Broken links in a \(1\)/);
  assert.match(ops.text ?? '', /Broken links in c \(1\)/);

  assert.equal(mailTo('a-team@example.com').length, 1, "a's owners: one mail");
  const mine = mailTo('a-team@example.com')[0]!;
  assert.deepEqual(mine.to, ['a-team@example.com']);
  assert.match(mine.subject, /^Docs build succeeded \(a\): manual rebuild/);
  assert.match(mine.text ?? '', /This report covers a only/);
  assert.match(mine.text ?? '', /Broken links in a \(1\):\r?\n- readme\.md:3: .*setup\.md/);
  assert.doesNotMatch(mine.text ?? '', /Broken links in c|gone\.md|Pages: |other source/, 'nothing about other sources or the whole site');
  assert.equal(mailTo('b-team@example.com').length, 0, 'b is fine: its owners hear nothing');

  assert.equal(robot.messages.length, 2);
  const mention = robot.messages.find((m) => JSON.stringify(m.body).includes('atMobiles'))!;
  assert.equal(mention.msgtype, 'markdown');
  assert.deepEqual((mention.body as { at: unknown }).at, { atMobiles: ['13800000001'], isAtAll: false });
  assert.match(mention.text, /@13800000001/);
  assert.match(mention.text, /setup\.md/);
  assert.doesNotMatch(mention.text, /gone\.md/);
  assert.equal(own.messages.length, 0);

  // b changes: b's owners asked for changes and hear it on their own robot; a is still broken.
  writeFileSync(join(dir, 'b', 'readme.md'), '# Beta\n\nStill good, and new.\n');
  const second = await build();
  await notifier.notify(second);
  assert.equal(own.messages.length, 1, "b's own robot, signature checked by the stand-in");
  assert.match(own.messages[0]!.text, /This report covers b only/);
  assert.equal(mailTo('b-team@example.com').length, 1);
  assert.equal(mailTo('a-team@example.com').length, 2, "a's owners: once per build outcome");

  const everything = [JSON.stringify([...robot.messages, ...own.messages].map((m) => m.body)), ...smtp.messages.map((m) => m.raw), ...logged].join('\n');
  for (const s of [OWN_SECRET, OWN_TOKEN, DING_SECRET, 'mail-pass-owners']) assert.ok(!everything.includes(s), `leaked ${s}`);
});

test('NOTIFY_ON rules owners too, and unreachable owners are named once with the fix', async () => {
  const sources = parseSources(
    { sources: [{ id: 'a', title: 'A', path: 'a', owners: { mail: ['a@example.com'], dingtalk: { atMobiles: ['13800000001'] } } }] },
    tmpdir(),
  );
  const logged: string[] = [];
  const quiet = loadConfig({ cwd: tmpdir(), env: { NOTIFY_ON: 'failed' } });
  const notifier = createBuildNotifier({ config: quiet, sources, secrets: [], log: (l) => logged.push(l) });
  assert.deepEqual(logged, [
    'Owners of a: mail needs SMTP_URL, MAIL_FROM and MAIL_TO set; their mail addresses get nothing.',
    "Owners of a: dingtalk.atMobiles needs DINGTALK_WEBHOOK_URL (the site's robot) or owners.dingtalk.url (a robot of their own).",
  ]);
  const broken = brokenLinkBuild('b1');
  assert.deepEqual(await notifier.notify(broken), []);
});

test("which builds concern a source's owners: its failure, staleness or broken links; its changes only when asked", () => {
  const sources = parseSources(
    {
      sources: [
        { id: 'a', title: 'A', repo: 'acme/a', owners: { mail: ['a@example.com'] } },
        { id: 'b', title: 'B', repo: 'acme/b', owners: { mail: ['b@example.com'], notify: 'changes' } },
        { id: 'c', title: 'C', repo: 'acme/c' },
      ],
    },
    tmpdir(),
  );
  const [a, b, c] = sources as [SourceConfig, SourceConfig, SourceConfig];
  const record = (extra: Partial<BuildRecord>): BuildRecord => ({
    id: 'x',
    state: 'succeeded',
    trigger: { kind: 'manual', full: false },
    createdAt: '',
    attempts: 1,
    phases: {},
    sources: [],
    ...extra,
  });
  const push = (repo: string): BuildRecord['trigger'] => ({ kind: 'push', repo, ref: 'refs/heads/main', sha: 'f'.repeat(40), pusher: 'alice', delivery: 'd' });
  const fine = { state: 'built' as const, sha: '1', pages: 1, diagnostics: [] };
  const changed = { ...fine, sha: '2', previousSha: '1', fetched: true };

  assert.equal(concernsOwners(record({ sources: [{ id: 'a', ...fine }] }), a, sources), false, 'nothing wrong');
  assert.equal(concernsOwners(record({ state: 'degraded', sources: [{ id: 'a', ...fine, state: 'stale', error: 'GitHub 502' }] }), a, sources), true, 'stale');
  assert.equal(concernsOwners(record({ sources: [{ id: 'a', ...changed }] }), a, sources), false, 'a change, not asked for');
  assert.equal(concernsOwners(record({ sources: [{ id: 'b', ...changed }] }), b, sources), true, 'a change, asked for');
  assert.equal(concernsOwners(record({ sources: [{ id: 'b', ...fine }] }), b, sources), false, 'unchanged');
  assert.equal(
    concernsOwners(record({ state: 'failed', trigger: push('acme/a'), error: { phase: 'build', message: 'x' } }), a, sources),
    true,
    'their push failed',
  );
  assert.equal(
    concernsOwners(record({ state: 'failed', trigger: push('acme/a'), error: { phase: 'build', message: 'x' } }), b, sources),
    false,
    "someone else's push failed",
  );
  assert.equal(concernsOwners(record({ state: 'skipped', trigger: push('acme/a') }), a, sources), false, 'skipped');
  assert.equal(
    concernsOwners(record({ sources: [{ id: 'c', ...fine, diagnostics: [{ source: 'c', file: 'x.md', kind: 'broken-link', message: 'x' }] }] }), c, sources),
    false,
    'no owners',
  );

  const narrowed = narrowBuild(
    record({
      sources: [
        { id: 'a', ...changed },
        { id: 'b', ...fine },
      ],
      pages: { total: 9, added: 1, changed: 0, removed: 0 },
      request: {
        pushes: [
          { repo: 'acme/a', ref: 'refs/heads/main', sha: '2', pushers: ['alice'], deliveries: 1 },
          { repo: 'acme/b', ref: 'refs/heads/main', sha: '3', pushers: ['bob'], deliveries: 1 },
        ],
      },
    }),
    a,
  );
  assert.deepEqual(
    narrowed.sources.map((s) => s.id),
    ['a'],
  );
  assert.deepEqual(
    narrowed.request?.pushes.map((p) => p.repo),
    ['acme/a'],
  );
  assert.equal(narrowed.pages, undefined, 'no site-wide totals');
});

test('an owner robot that refuses the message: the failure is logged with the fix, its URL token and secret redacted', async (t) => {
  const own = await startDingTalkStandIn({ secret: OWN_SECRET, accessToken: OWN_TOKEN });
  t.after(() => own.close());
  const wrong = 'SECwrongSecretForTheOwnersRobot0123456789abcdef0123456789abcd';
  const sources = parseSources({ sources: [{ id: 'a', title: 'A', path: 'a', owners: { dingtalk: { url: own.url, secret: wrong } } }] }, tmpdir());
  const logged: string[] = [];
  const notifier = createBuildNotifier({ config: loadConfig({ cwd: tmpdir(), env: {} }), sources, secrets: [], log: (l) => logged.push(l) });
  const broken = brokenLinkBuild('b9');
  const [result] = await notifier.notify(broken);
  assert.equal(result?.name, 'dingtalk (own robot) to owners of a');
  assert.equal(result?.ok, false);
  assert.match(result?.error ?? '', /sign not match — check owners\.dingtalk\.secret of source a in the sources file \(the robot's 加签 secret/);
  assert.equal(own.messages.length, 0);
  const everything = [JSON.stringify(result), ...logged].join('\n');
  assert.match(everything, /access_token=\*\*\*/);
  for (const s of [wrong, OWN_TOKEN]) assert.ok(!everything.includes(s), `leaked ${s}`);
});
