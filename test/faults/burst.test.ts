/**
 * A burst of 50 pushes in 10 s over 10 repositories against the real server: coalescing must fold
 * them into at most 3 builds, and the last push must be live within about one build's time after it
 * arrived. Prints the figures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';
import { startServerProcess, waitForBuild, waitForLatestBuild, type ServerProcess } from '../support/startServerProcess.ts';

const SECRET = 'burst-secret-0123456789';
const REPOS = Array.from({ length: 10 }, (_, i) => `team${i}`);

describe('burst: 50 pushes in 10 s over 10 repositories', () => {
  let dir: string;
  let gh: FakeGitHub;
  let server: ServerProcess;
  const heads = new Map<string, string>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'burst-'));
    gh = await startFakeGitHub();
    for (const r of REPOS) heads.set(r, await gh.createRepo('acme', r, { 'docs/readme.md': `# ${r}\n\nversion 0\n` }));
    writeFileSync(join(dir, 'sources.yaml'), `sources:\n${REPOS.map((r) => `  - id: ${r}\n    title: ${r}\n    repo: acme/${r}\n`).join('')}`);
    server = await startServerProcess({
      DATA_DIR: join(dir, 'data'),
      SOURCES_FILE: join(dir, 'sources.yaml'),
      GITHUB_API_URL: gh.url,
      GITHUB_WEBHOOK_SECRET: SECRET,
    });
    const first = await waitForLatestBuild(server.url);
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
  });
  after(async () => {
    await server?.stop();
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the burst into at most 3 builds and makes the last push live about one build after it arrived', async (t) => {
    const before = new Set(((await (await fetch(`${server.url}/builds?limit=500`)).json()) as { builds: Array<{ id: string }> }).builds.map((b) => b.id));
    const start = Date.now();
    const ids: string[] = [];
    let lastRepo = '';
    let lastArrived = 0;
    for (let i = 0; i < 50; i++) {
      const due = start + i * 200;
      if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
      const repo = REPOS[i % REPOS.length]!;
      const sha = await gh.commit('acme', repo, { files: { 'docs/readme.md': `# ${repo}\n\nversion ${i + 1}\n` } });
      const d = await signedDelivery(
        SECRET,
        'push',
        pushPayload(`acme/${repo}`, 'main', { sha, before: heads.get(repo)!, commits: [{ modified: ['docs/readme.md'] }] }),
      );
      heads.set(repo, sha);
      const ack = await postDelivery(`${server.url}/webhook`, d);
      assert.equal(ack.status, 202);
      ids.push(ack.body.id);
      lastRepo = repo;
      lastArrived = Date.now();
    }
    const burstSeconds = (lastArrived - start) / 1000;
    const lastBuild = await waitForBuild(server.url, ids.at(-1)!);
    const carrier = lastBuild.state === 'superseded' ? await waitForBuild(server.url, lastBuild.supersededBy) : lastBuild;
    assert.equal(carrier.state, 'succeeded', JSON.stringify(carrier.error));
    // Every push's build ended in a build that ran.
    const all = ((await (await fetch(`${server.url}/builds?limit=500`)).json()) as { builds: any[] }).builds.filter((b) => !before.has(b.id));
    const ran = all.filter((b) => b.state !== 'superseded' && b.state !== 'skipped');
    for (const b of ran) assert.ok(['succeeded', 'degraded'].includes(b.state), `${b.id} ${b.state}`);
    const liveAfter = (Date.parse(carrier.finishedAt) - lastArrived) / 1000;
    const buildSeconds = ran.map((b) => (Date.parse(b.finishedAt) - Date.parse(b.startedAt)) / 1000);
    const page = await (await fetch(`${server.url}/${lastRepo}/`)).text();
    t.diagnostic(
      `burst: 50 pushes over ${burstSeconds.toFixed(1)} s to ${REPOS.length} repos → ${ran.length} build(s) ran, ${all.length - ran.length} superseded`,
    );
    t.diagnostic(`build times: ${buildSeconds.map((s) => s.toFixed(1)).join(', ')} s; last push live ${liveAfter.toFixed(1)} s after it arrived`);
    assert.ok(ran.length <= 3, `${ran.length} builds`);
    assert.match(page, /version 50/);
    for (const r of REPOS) assert.match(await (await fetch(`${server.url}/${r}/`)).text(), /version (4[1-9]|50)\b/, `${r} shows its newest commit`);
    // "About one build's time": the 2 s quiet period plus the build that carried it (and at most the
    // rest of a build already running when it arrived).
    assert.ok(liveAfter <= 2 + 2 * Math.max(...buildSeconds) + 1, `live ${liveAfter} s after the last push`);
  });
});
