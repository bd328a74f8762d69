/**
 * Pushes GitHub never delivered, end to end: the server (`scripts/start.ts`, as `npm start` runs
 * it) builds a site from the fake GitHub, is stopped, two commits are pushed with no delivery at
 * all, and the server is started again: its first reconcile sweep finds the branch ahead, queues a
 * build triggered by `reconcile` naming the two commits, and the new pages are live; /status and
 * /_builds/ show the source in step with its branch.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { closeE2e, fakeGitHubServerEnv, startServerProcess, waitForBuild, waitForLatestBuild, type ServerProcess } from '../support/startServerProcess.ts';

const TOKEN = 'ghp_reconcileE2e0123456789';

describe('end to end: pushes missed while the server was down are live within one sweep', () => {
  let dir: string;
  let gh: FakeGitHub;
  let server: ServerProcess | undefined;
  let env: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-reconcile-'));
    gh = await startFakeGitHub({ token: TOKEN });
    await gh.createRepo('acme', 'gadgets', { 'docs/readme.md': '# Gadgets\n\nGadgets do things.\n' });
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: gadgets\n    title: Gadgets\n    repo: acme/gadgets\n');
    env = fakeGitHubServerEnv(dir, gh.url, TOKEN, 'whsec-reconcile-e2e');
    server = await startServerProcess(env);
  });

  after(() => closeE2e({ ...(server ? { server } : {}), gh, dir }));

  it('catches up two undelivered pushes at start, recorded as a reconcile build', async () => {
    const first = await waitForLatestBuild(server!.url);
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
    const live = first.sources[0].sha;
    await server!.stop();
    server = undefined;

    await gh.commit('acme', 'gadgets', {
      files: { 'docs/first-missed.md': '# First missed\n\nPushed while the server was down.\n' },
      message: 'Add the first page',
    });
    const head = await gh.commit('acme', 'gadgets', {
      files: { 'docs/readme.md': '# Gadgets\n\nGadgets do things. 第二次推送。\n' },
      message: 'Say more on the index',
    });

    const restarted = performance.now();
    server = await startServerProcess(env);
    const build = await waitForBuild(server.url, await reconcileBuildId(server.url));
    console.log(`# two missed pushes live ${((performance.now() - restarted) / 1000).toFixed(1)} s after the restart (server start, sweep, build ${build.id})`);
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    assert.equal(build.trigger.kind, 'reconcile');
    const [caught] = build.trigger.sources;
    assert.deepEqual(
      { id: caught.id, repo: caught.repo, ref: caught.ref, from: caught.from, to: caught.to },
      { id: 'gadgets', repo: 'acme/gadgets', ref: 'main', from: live, to: head },
    );
    assert.deepEqual(
      caught.commits.map((c: any) => c.message),
      ['Add the first page', 'Say more on the index'],
    );
    assert.equal(build.sources[0].sha, head);
    assert.equal(build.sources[0].previousSha, live);

    assert.match(await (await fetch(`${server.url}/gadgets/first-missed/`)).text(), /Pushed while the server was down/);
    assert.match(await (await fetch(`${server.url}/gadgets/`)).text(), /第二次推送/);

    const status = (await (await fetch(`${server.url}/status`)).json()) as any;
    const row = status.sources.find((s: any) => s.id === 'gadgets');
    assert.equal(row.live, head, 'the site serves the head');
    assert.equal(row.liveBuild, build.id);
    assert.equal(row.head, head, 'the head seen by the sweep');
    assert.equal(row.behind, false);
    assert.equal(row.lagMs, 0);
    assert.equal(status.reconcileEveryMs, 300_000, 'default RECONCILE_EVERY 5m');
    const one = await (await fetch(`${server.url}/_builds/${build.id}`)).text();
    assert.match(
      one,
      /Caught up<\/th><td>gadgets [0-9a-f]{7} → [0-9a-f]{7} \(2 commits\) <span class="muted">\(never delivered\)<\/span><ul><li><code>[0-9a-f]{7}<\/code> Add the first page \(Docs Writer\)<\/li><li><code>[0-9a-f]{7}<\/code> Say more on the index \(Docs Writer\)<\/li><\/ul>/,
    );
    const page = await (await fetch(`${server.url}/_builds/`)).text();
    assert.match(page, /<h2>Freshness<\/h2>/);
    assert.match(page, /reconcile <span class="muted">\(missed pushes\)<\/span>: gadgets [0-9a-f]{7} → [0-9a-f]{7} \(2 commits\)/);
  });
});

/** The id of the reconcile build the restarted server queues. */
async function reconcileBuildId(url: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/builds`).catch(() => undefined);
    const builds = res?.ok ? ((await res.json()) as { builds: any[] }).builds : [];
    const found = builds.find((b) => b.trigger.kind === 'reconcile');
    if (found) return found.id;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no reconcile build within 60 s of the start');
}
