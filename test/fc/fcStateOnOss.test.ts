/**
 * State that must outlive an FC instance, with DEPLOY_TARGET=oss (OSS stand-in, real signatures):
 * a builder on a fresh DATA_DIR (FC recycled its /tmp) keeps the redirects of earlier releases, and
 * the freshness a builder's timer sweep records is what the HTTP function's GET /status shows,
 * each function with its own DATA_DIR.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBuilderFunction } from '../../functions/builder/createBuilderFunction.ts';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { fetchSources } from '../../functions/core/fetch/fetchSources.ts';
import { saveSnapshot } from '../../functions/core/pipeline/snapshots.ts';
import { createWebhookFunction } from '../../functions/webhook/createWebhookFunction.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { type FcApiStandIn, startFcApiStandIn } from '../support/fcApiStandIn.ts';
import { manualBuildJob } from '../support/manualBuildJob.ts';
import { type OssStandIn, startOssStandIn } from '../support/ossStandIn/startOssStandIn.ts';

const KEY = { id: 'STS.state-role', secret: 'state-role-secret-0123', token: 'state-role-token' };
const FC_HEADERS = { 'x-fc-access-key-id': KEY.id, 'x-fc-access-key-secret': KEY.secret, 'x-fc-security-token': KEY.token };
const TEXT = (title: string) =>
  `# ${title}\n\nHow to configure the widget frobnicator for production clusters, with the settings that matter,\n` +
  'the limits of each region, how to rotate its keys without downtime and what to watch on the dashboards afterwards.\n';

describe('FC state kept in the OSS bucket', () => {
  let dir: string;
  let oss: OssStandIn;
  let gh: FakeGitHub | undefined;
  let fc: FcApiStandIn | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-state-oss-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'readme.md'), '# Handbook\n\nStart here.\n');
    writeFileSync(join(dir, 'docs', 'old-name.md'), TEXT('Frobnicator'));
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: handbook\n    title: Handbook\n    path: docs\n');
    oss = await startOssStandIn({ bucket: 'docs-site', accounts: { [KEY.id]: { secret: KEY.secret, securityToken: KEY.token } } });
  });
  after(async () => {
    await oss?.close();
    await gh?.close();
    await fc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ossEnv = (dataDir: string, extra: Record<string, string> = {}) => ({
    SOURCES_FILE: join(dir, 'sources.yaml'),
    DATA_DIR: join(dir, dataDir),
    DEPLOY_TARGET: 'oss',
    OSS_BUCKET: 'docs-site',
    OSS_REGION: 'cn-hangzhou',
    OSS_ENDPOINT: oss.url,
    NOTIFY_ON: 'none',
    ...extra,
  });
  let n = 0;
  const build = async (dataDir: string) => {
    const builder = createBuilderFunction({ env: ossEnv(dataDir), cwd: dir, log: () => {} });
    const job = manualBuildJob(Date.now() + n++);
    const res = await builder.handler(
      new Request('http://127.0.0.1/invoke', { method: 'POST', headers: { 'x-fc-request-id': `req-${n}`, ...FC_HEADERS }, body: JSON.stringify(job) }),
    );
    const body = (await res.json()) as { state: string };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.state, 'succeeded', JSON.stringify(body));
  };
  const liveTable = async () => (await (await fetch(`${oss.websiteUrl}/_redirects.json`)).json()) as { redirects: Record<string, string> };

  it('a build on a fresh DATA_DIR keeps the redirects of the release before it', async () => {
    await build('builder-a');
    renameSync(join(dir, 'docs', 'old-name.md'), join(dir, 'docs', 'new-name.md'));
    await build('builder-a');
    assert.equal((await liveTable()).redirects['/handbook/old-name/'], '/handbook/new-name/', 'the move is a redirect');

    // FC recycled the instance: a new builder on an empty /tmp.
    writeFileSync(join(dir, 'docs', 'readme.md'), '# Handbook\n\nStart here, again.\n');
    await build('builder-b');
    assert.equal((await liveTable()).redirects['/handbook/old-name/'], '/handbook/new-name/', 'the redirect is still in the new release');
    const page = await fetch(`${oss.websiteUrl}/handbook/old-name/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /url=\/handbook\/new-name\//);
  });

  it("the freshness the builder's timer sweep records is what the HTTP function's GET /status shows, on separate DATA_DIRs", async () => {
    const token = 'ghp_fcStateToken0123456789';
    gh = await startFakeGitHub({ token });
    fc = await startFcApiStandIn({ credentials: { [KEY.id]: { secret: KEY.secret, securityToken: KEY.token } }, functions: ['docs-sync-builder'] });
    await gh.createRepo('acme', 'widgets', { 'docs/readme.md': '# Widgets\n' });
    writeFileSync(join(dir, 'sources-gh.yaml'), 'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n');
    const github = { SOURCES_FILE: join(dir, 'sources-gh.yaml'), GITHUB_API_URL: gh.url, GITHUB_TOKEN: token, FUNCTION_COMPUTE_ENDPOINT: fc.url };
    // What the builder's site has: the snapshot a build leaves in its DATA_DIR.
    const got = await fetchSources([{ id: 'widgets', title: 'Widgets', repo: { owner: 'acme', name: 'widgets' }, paths: ['docs'] }], {
      octokit: createGitHubClient({ baseUrl: gh.url, token, warn: () => {} }),
      lastUpdated: 'none',
    });
    await saveSnapshot(join(dir, 'timer-data'), got.fetched[0]!);
    const head = await gh.commit('acme', 'widgets', { files: { 'docs/new.md': '# New\n' }, message: 'Never announced' });

    const builder = createBuilderFunction({ env: ossEnv('timer-data', { ...github, FC_FUNCTION_NAME: 'docs-sync-builder' }), cwd: dir, log: () => {} });
    const tick = await builder.handler(
      new Request('http://127.0.0.1/invoke', {
        method: 'POST',
        headers: { 'x-fc-request-id': 'req-timer', ...FC_HEADERS },
        body: JSON.stringify({ triggerTime: '2026-12-06T15:00:00Z', triggerName: 'reconcile', payload: '' }),
      }),
    );
    const swept = (await tick.json()) as { moved: string[] };
    assert.deepEqual(swept.moved, ['widgets'], JSON.stringify(swept));

    const web = createWebhookFunction({ env: ossEnv('webhook-data', github), cwd: dir, log: () => {} });
    const res = await web.handler(new Request('http://127.0.0.1/status', { headers: FC_HEADERS }));
    assert.equal(res.status, 200);
    const status = (await res.json()) as { lastSweep?: { checked: number }; sources: Array<{ id: string; head?: string; live?: string; behind: boolean }> };
    assert.equal(status.lastSweep?.checked, 1);
    assert.deepEqual(
      status.sources.map((s) => [s.id, s.head, s.live, s.behind]),
      [['widgets', head, got.fetched[0]!.sha, true]],
    );
    // A private object beside the release bookkeeping: not on the website.
    assert.equal((await fetch(`${oss.websiteUrl}/_docs-sync/freshness.json`)).status, 403);
  });
});
