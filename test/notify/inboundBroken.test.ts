/**
 * Inbound links a build broke (issue 10 item 3), over a real build (local folders, the real fetch,
 * transform and deploy; only Astro replaced) and real SMTP and DingTalk stand-ins: b links to a page
 * and a heading of a; a rebuild where a renames the page and drops the heading records both on the
 * build, the operators' report names them, and b's owners hear about it by mail and on the robot. The
 * next build, with nothing changed, lists none: each breakage is reported once, by the build that made it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sourcesSummary } from '../../functions/core/http/buildsHtml.ts';
import { parseSources } from '../../functions/core/config/loadSources.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { createBuildNotifier } from '../../functions/core/notify/createBuildNotifier.ts';
import { concernsOwners, narrowBuild } from '../../functions/core/notify/ownerReport.ts';
import { secretsOf } from '../../functions/core/notify/secretsOf.ts';
import { summarizeReport } from '../../functions/core/notify/summarizeReport.ts';
import { buildSiteIndex } from '../../functions/core/transform/siteIndex.ts';
import type { BuildRecord, FetchedSource, SourceConfig } from '../../functions/core/types.ts';
import { fastSteps } from '../support/fastSteps.ts';
import { manualBuilds } from '../support/manualBuilds.ts';
import { startNotifyStandIns } from '../support/notifyStandIns.ts';

test("a build that removes a page and a heading of a names the links of b it broke, once, and tells b's owners", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'inbound-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { robot, smtp, config } = await startNotifyStandIns(t, { dingSecret: 'SECinbound0123456789', dingToken: 'tok', smtpPass: 'pw-inbound' });
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  writeFileSync(join(dir, 'a', 'readme.md'), '# Alpha\n\nHome.\n');
  writeFileSync(join(dir, 'a', 'setup.md'), '# Setup\n\n## Install\n\nRun it.\n\n## Configure\n\nSet it.\n');
  writeFileSync(join(dir, 'a', 'guide.md'), '# Guide\n\nRead me.\n');
  writeFileSync(join(dir, 'b', 'readme.md'), '# Beta\n\nFirst [install a](/a/setup/#install).\n\nThen read [the guide](/a/guide/).\n');
  const sources = parseSources(
    {
      sources: [
        { id: 'a', title: 'Alpha', path: 'a' },
        { id: 'b', title: 'Beta', path: 'b', owners: { mail: ['b-team@example.com'], dingtalk: { atMobiles: ['13800000002'] } } },
      ],
    },
    dir,
  );
  const notifier = createBuildNotifier({ config, sources, secrets: secretsOf(config), log: () => {} });
  const steps = { ...fastSteps((list, options) => fetchSources(list, options)), indexSite: (all: FetchedSource[]) => buildSiteIndex(all) };
  const build = manualBuilds(sources, join(dir, 'data'), steps);
  const mailTo = (who: string) => smtp.messages.filter((m) => m.to.includes(who));

  const first = await build();
  assert.deepEqual(first.sources.find((s) => s.id === 'b')?.diagnostics, [], "b's links resolve");
  assert.equal(first.inboundBroken, undefined);
  await notifier.notify(first);
  assert.equal(mailTo('b-team@example.com').length, 0, 'nothing wrong for b');

  // a drops the heading b links to and renames the page b links to; b itself does not change.
  writeFileSync(join(dir, 'a', 'setup.md'), '# Setup\n\n## Configure\n\nSet it.\n');
  renameSync(join(dir, 'a', 'guide.md'), join(dir, 'a', 'handbook.md'));
  const second = await build();
  assert.deepEqual(second.inboundBroken, [
    { from: { source: 'b', file: 'readme.md', line: 3 }, to: { source: 'a', url: '/a/setup/#install' }, because: 'anchor removed' },
    { from: { source: 'b', file: 'readme.md', line: 5 }, to: { source: 'a', url: '/a/guide/' }, because: 'page removed' },
  ]);
  await notifier.notify(second);
  const ops = mailTo('team@example.com')
    .filter((m) => !m.to.includes('b-team@example.com'))
    .at(-1)!;
  assert.match(
    ops.text ?? '',
    /Links into a that this build broke \(2\):\r?\n- b: readme\.md:3 → \/a\/setup\/#install \(anchor removed\)\r?\n- b: readme\.md:5 → \/a\/guide\/ \(page removed\)/,
  );
  const mine = mailTo('b-team@example.com');
  assert.equal(mine.length, 1, "b's owners: told once");
  assert.match(mine[0]!.subject, /\(b\)/);
  assert.match(mine[0]!.text ?? '', /Links into a that this build broke \(2\)/);
  const mention = robot.messages.filter((m) => JSON.stringify(m.body).includes('13800000002'));
  assert.equal(mention.length, 1);
  assert.match(mention[0]!.text, /Links into a that this build broke/);
  assert.match(mention[0]!.text, /\/a\/guide\/ \(page removed\)/);

  const third = await build();
  assert.equal(third.inboundBroken, undefined, 'nothing new: not reported twice');
  assert.equal(third.sources.find((s) => s.id === 'b')?.diagnostics.length, 2, 'the links are still broken');
  await notifier.notify(third);
  for (const m of smtp.messages.slice(-2)) assert.doesNotMatch(m.text ?? '', /Links into a/);
});

test('inbound breakage concerns the owners of both sources, each sees only theirs, and a push is named as such', () => {
  const sources = parseSources(
    {
      sources: [
        { id: 'a', title: 'A', repo: 'acme/a', owners: { mail: ['a@example.com'] } },
        { id: 'b', title: 'B', repo: 'acme/b', owners: { mail: ['b@example.com'] } },
        { id: 'c', title: 'C', repo: 'acme/c', owners: { mail: ['c@example.com'] } },
      ],
    },
    tmpdir(),
  );
  const [a, b, c] = sources as [SourceConfig, SourceConfig, SourceConfig];
  const fine = { state: 'built' as const, sha: '1', pages: 1, diagnostics: [] };
  const build: BuildRecord = {
    id: 'x',
    state: 'succeeded',
    trigger: { kind: 'push', repo: 'acme/a', ref: 'refs/heads/main', sha: 'f'.repeat(40), pusher: 'alice', delivery: 'd' },
    createdAt: '',
    attempts: 1,
    phases: {},
    sources: [
      { id: 'a', ...fine, sha: '2', previousSha: '1', fetched: true },
      { id: 'b', ...fine },
      { id: 'c', ...fine },
    ],
    inboundBroken: [{ from: { source: 'b', file: 'x.md', line: 4 }, to: { source: 'a', url: '/a/gone/' }, because: 'page removed' }],
  };
  assert.equal(concernsOwners(build, a, sources), true, 'the source whose change broke it');
  assert.equal(concernsOwners(build, b, sources), true, 'the source holding the link');
  assert.equal(concernsOwners(build, c, sources), false, 'not involved');
  assert.deepEqual(narrowBuild(build, c).inboundBroken, undefined);
  assert.deepEqual(narrowBuild(build, b).inboundBroken, build.inboundBroken);
  assert.match(sourcesSummary(build), /1 link of other sources broken by this build/, 'the builds page says it too');
  const summary = summarizeReport({ build: narrowBuild(build, b), siteUrl: 'https://docs.example.com', buildUrl: 'https://docs.example.com/builds/x' });
  assert.deepEqual(
    summary.sections.find((s) => s.heading.startsWith('Links into')),
    { heading: 'Links into a that this push broke (1)', items: ['b: x.md:4 → /a/gone/ (page removed)'], more: 0 },
  );
});
