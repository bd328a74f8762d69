/**
 * Reconcile on Function Compute: FC's timer trigger invokes the builder (POST /invoke with FC's timer
 * event); the builder sweeps the fake GitHub and hands ONE `reconcile` build to itself as an async
 * task through the FC API stand-in (ACS3 signature verified with the credentials FC put in the
 * request headers). A second tick while that build is queued hands nothing over; the HTTP function's
 * GET /status shows the branch ahead of the site.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBuilderFunction } from '../../functions/builder/createBuilderFunction.ts';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { saveSnapshot } from '../../functions/core/pipeline/snapshots.ts';
import { buildStoreDir, createFileBuildStore } from '../../functions/fc/createFileBuildStore.ts';
import { serveFunction, type ServedFunction } from '../../functions/fc/serveFunction.ts';
import { createWebhookFunction } from '../../functions/webhook/createWebhookFunction.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { startFcApiStandIn, type FcApiStandIn } from '../support/fcApiStandIn.ts';

const TOKEN = 'ghp_fcTimerToken0123456789';
const BUILDER = 'docs-sync-builder';

describe('builder function on FC: the timer trigger reconciles', () => {
  let dir: string;
  let gh: FakeGitHub;
  let fc: FcApiStandIn;
  const servers: ServedFunction[] = [];
  const logs: string[] = [];
  let env: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-timer-'));
    gh = await startFakeGitHub({ token: TOKEN });
    fc = await startFcApiStandIn({ credentials: { 'STS.header-key': { secret: 'header-secret', securityToken: 'header-token' } }, functions: [BUILDER] });
    await gh.createRepo('acme', 'widgets', { 'docs/readme.md': '# Widgets\n' });
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n');
    env = {
      SOURCES_FILE: join(dir, 'sources.yaml'),
      DATA_DIR: join(dir, 'data'),
      GITHUB_API_URL: gh.url,
      GITHUB_TOKEN: TOKEN,
      FUNCTION_COMPUTE_ENDPOINT: fc.url,
      FC_FUNCTION_NAME: BUILDER,
    };
    // What the site has: a snapshot on the shared data folder, as a build leaves it.
    const got = await fetchSources([{ id: 'widgets', title: 'Widgets', repo: { owner: 'acme', name: 'widgets' }, paths: ['docs'] }], {
      octokit: createGitHubClient({ baseUrl: gh.url, token: TOKEN, warn: () => {} }),
      lastUpdated: 'none',
    });
    await saveSnapshot(env.DATA_DIR!, got.fetched[0]!);
  });

  after(async () => {
    for (const s of servers) await s.close();
    await fc?.close();
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tick = async (url: string) => {
    const res = await fetch(`${url}/invoke`, {
      method: 'POST',
      headers: {
        'x-fc-request-id': 'req-timer',
        'x-fc-access-key-id': 'STS.header-key',
        'x-fc-access-key-secret': 'header-secret',
        'x-fc-security-token': 'header-token',
      },
      body: JSON.stringify({ triggerTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), triggerName: 'reconcile', payload: '' }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('a timer tick over a moved repository hands one reconcile build to the builder, once', async () => {
    const fn = createBuilderFunction({ env, cwd: dir, log: (l) => logs.push(l) });
    const served = await serveFunction(fn.handler, { port: 0, host: '127.0.0.1', log: (l) => logs.push(l) });
    servers.push(served);

    const quiet = await tick(served.url);
    assert.equal(quiet.status, 200, JSON.stringify(quiet.body));
    assert.deepEqual(quiet.body, { checked: 1, requests: { total: 1, counted: 0 }, moved: [] });
    assert.equal(fc.tasks.length, 0);

    const head = await gh.commit('acme', 'widgets', { files: { 'docs/new.md': '# New\n' }, message: 'Add a page nobody announced' });
    const r = await tick(served.url);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.moved, ['widgets']);
    assert.equal(fc.tasks.length, 1);
    const task = fc.tasks[0]!;
    assert.equal(task.functionName, BUILDER);
    assert.equal(task.headers['x-fc-invocation-type'], 'Async');
    const job = JSON.parse(task.body);
    assert.equal(job.build.id, r.body.build);
    assert.equal(job.build.trigger.kind, 'reconcile');
    assert.equal(job.build.trigger.sources[0].to, head);
    assert.deepEqual(
      job.build.trigger.sources[0].commits.map((c: any) => c.message),
      ['Add a page nobody announced'],
    );
    const store = createFileBuildStore(buildStoreDir(env.DATA_DIR!));
    assert.equal((await store.get(job.build.id))?.state, 'queued');

    // The next tick finds the build still queued: nothing more is handed over.
    const again = await tick(served.url);
    assert.deepEqual(again.body.moved, ['widgets']);
    assert.equal(again.body.build, undefined);
    assert.equal(fc.tasks.length, 1);

    const http = createWebhookFunction({ env, cwd: dir, log: (l) => logs.push(l) });
    const web = await serveFunction(http.handler, { port: 0, host: '127.0.0.1', log: (l) => logs.push(l) });
    servers.push(web);
    const status = (await (await fetch(`${web.url}/status`)).json()) as any;
    assert.equal(status.sources[0].head, head);
    assert.equal(status.sources[0].behind, true);
    assert.ok(status.lastSweep.checked === 1);
  });
});
