/**
 * `pull_request` deliveries over real HTTP with real signatures, the payloads built from pull requests
 * in the fake GitHub: which become preview builds, which are skipped (and why, in the ledger), and
 * which are refused as malformed. Plus the PREVIEWS / PREVIEW_DRAFTS / PREVIEW_FORKS settings.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../functions/core/config/ConfigError.ts';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import type { PreviewSettings } from '../../functions/core/config/previewSettings.ts';
import { privateRepos } from '../../functions/core/http/privateRepos.ts';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import type { PreviewTrigger, SourceConfig } from '../../functions/core/types.ts';
import { createWebhookHandler, type WebhookDeps } from '../../functions/core/webhook/createWebhookHandler.ts';
import { PREVIEWS_NEED_LOCAL } from '../../functions/core/webhook/decidePullRequest.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { postDelivery, pullRequestPayload, signedDelivery } from '../support/signedDelivery.ts';

const SECRET = 'pr-secret';
const sources: SourceConfig[] = [
  { id: 'fc', title: 'FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] },
  { id: 'fc-api', title: 'FC API', repo: { owner: 'devsapp', name: 'fc' }, paths: ['api'] },
  { id: 'sae', title: 'SAE', repo: { owner: 'devsapp', name: 'sae' }, ref: 'release', paths: ['.'] },
];
const ON: PreviewSettings = { enabled: true, drafts: false, forks: false };

describe('POST /webhook with pull_request deliveries', () => {
  let dir: string;
  let queue: BuildQueue;
  let gh: FakeGitHub;
  const servers: Server[] = [];
  let pr: { same: number; draft: number; fork: number; other: number };

  async function endpoint(extra: Partial<WebhookDeps>): Promise<string> {
    const server = createServer(toNodeListener(createWebhookHandler({ secret: SECRET, sources, queue, ...extra }), () => {}));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }
  const send = async (url: string, action: string, n: number, repo = 'devsapp/fc', mutate?: (p: Record<string, any>) => void) => {
    const [owner, name] = repo.split('/') as [string, string];
    const payload = pullRequestPayload(action, await gh.pullRequest(owner, name, n));
    mutate?.(payload);
    const d = await signedDelivery(SECRET, 'pull_request', payload);
    return { ...(await postDelivery(url, d)), guid: d.guid };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-pr-'));
    queue = new BuildQueue(openDatabase(join(dir, 'q.db')));
    gh = await startFakeGitHub();
    await gh.createRepo('devsapp', 'fc', { 'docs/a.md': '# A\n' });
    await gh.createRepo('devsapp', 'sae', { 'b.md': '# B\n' });
    await gh.commit('devsapp', 'fc', { branch: 'edit', files: { 'docs/a.md': '# A2\n' } });
    await gh.commit('devsapp', 'fc', { branch: 'wip', files: { 'docs/a.md': '# A3\n' } });
    await gh.forkRepo('devsapp', 'fc', 'bob');
    await gh.commit('bob', 'fc', { branch: 'typo', files: { 'docs/a.md': '# A4\n' } });
    await gh.commit('devsapp', 'sae', { branch: 'x', files: { 'b.md': '# B2\n' } });
    pr = {
      same: await gh.openPullRequest('devsapp', 'fc', { head: 'edit', title: 'Edit A', user: 'alice' }),
      draft: await gh.openPullRequest('devsapp', 'fc', { head: 'wip', draft: true }),
      fork: await gh.openPullRequest('devsapp', 'fc', { head: 'typo', headOwner: 'bob' }),
      other: await gh.openPullRequest('devsapp', 'sae', { head: 'x' }), // into main; the source tracks `release`
    };
  });
  after(async () => {
    for (const s of servers) s.close();
    queue.db.close();
    await gh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opened / synchronize / reopened queue an open preview of every source tracking the base branch; closed queues a close', async () => {
    const url = `${await endpoint({ previews: ON })}/webhook`;
    const head = (await gh.pullRequest('devsapp', 'fc', pr.same)).head.sha as string;
    for (const [action, kind] of [
      ['opened', 'open'],
      ['synchronize', 'open'],
      ['reopened', 'open'],
      ['closed', 'close'],
    ] as const) {
      const r = await send(url, action, pr.same);
      assert.equal(r.status, 202, action);
      const build = queue.get(r.body.id)!;
      assert.ok(['queued', 'superseded'].includes(build.state), `${action}: ${build.state}`);
      const t = build.trigger as PreviewTrigger;
      assert.deepEqual(
        { ...t, pr: { ...t.pr } },
        {
          kind: 'preview',
          delivery: r.guid,
          action: kind,
          sources: ['fc', 'fc-api'],
          pr: {
            repo: 'devsapp/fc',
            number: pr.same,
            title: 'Edit A',
            url: `https://github.com/devsapp/fc/pull/${pr.same}`,
            author: 'alice',
            headSha: head,
            headRef: 'edit',
            headRepo: 'devsapp/fc',
            baseRef: 'main',
            draft: false,
            fork: false,
          },
        },
      );
      const row = queue.listDeliveries(50).find((d) => d.guid === r.guid)!;
      assert.deepEqual([row.event, row.repo, row.ref], ['pull_request', 'devsapp/fc', `refs/pull/${pr.same}/head`]);
    }
  });

  it('skips with a reason in the ledger: other actions, drafts, forks, untracked branches, PREVIEWS=off, Function Compute', async () => {
    const on = `${await endpoint({ previews: ON })}/webhook`;
    const off = `${await endpoint({ previews: { ...ON, enabled: false } })}/webhook`;
    const fc = `${await endpoint({ previewsUnavailable: PREVIEWS_NEED_LOCAL })}/webhook`;
    const cases: Array<[string, string, number, string, RegExp]> = [
      [on, 'labeled', pr.same, 'devsapp/fc', /action "labeled" does not change a preview/],
      [on, 'opened', pr.draft, 'devsapp/fc', /is a draft.*PREVIEW_DRAFTS=true/],
      [on, 'opened', pr.fork, 'devsapp/fc', /fork bob\/fc.*PREVIEW_FORKS=true/],
      [on, 'opened', pr.other, 'devsapp/sae', /targets branch main, which is not tracked for devsapp\/sae \(tracked: release\)/],
      [off, 'opened', pr.same, 'devsapp/fc', /PR previews are off \(PREVIEWS=off\)/],
      [fc, 'opened', pr.same, 'devsapp/fc', /PR previews need the local server \(DEPLOY_TARGET=local\)/],
    ];
    for (const [url, action, n, repo, reason] of cases) {
      const r = await send(url, action, n, repo);
      assert.equal(r.status, 202, String(reason));
      assert.equal(r.body.skipped, true);
      assert.match(r.body.reason, reason);
      const row = queue.listDeliveries(100).find((d) => d.guid === r.guid)!;
      assert.equal(row.outcome, 'skipped');
      assert.match(row.reason ?? '', reason);
      if (r.body.id) assert.equal(queue.get(r.body.id)?.state, 'skipped');
    }
    // A deleted fork (head.repo null) has nothing to preview; its close still removes the preview.
    const gone = await send(on, 'synchronize', pr.same, 'devsapp/fc', (p) => (p.pull_request.head.repo = null));
    assert.match(gone.body.reason, /head repository .* was deleted/);
    const closed = await send(on, 'closed', pr.same, 'devsapp/fc', (p) => (p.pull_request.head.repo = null));
    assert.equal((queue.get(closed.body.id)!.trigger as PreviewTrigger).action, 'close');
  });

  it('PREVIEW_DRAFTS and PREVIEW_FORKS let drafts and forks through; ready_for_review builds a draft made ready', async () => {
    const strict = `${await endpoint({ previews: ON })}/webhook`;
    const loose = `${await endpoint({ previews: { enabled: true, drafts: true, forks: true } })}/webhook`;
    const draft = await send(loose, 'opened', pr.draft);
    assert.equal((queue.get(draft.body.id)!.trigger as PreviewTrigger).pr.draft, true);
    const fork = await send(loose, 'opened', pr.fork);
    const t = queue.get(fork.body.id)!.trigger as PreviewTrigger;
    assert.deepEqual([t.pr.fork, t.pr.headRepo, t.pr.author], [true, 'bob/fc', 'bob']);
    await gh.updatePullRequest('devsapp', 'fc', pr.draft, { draft: false });
    const ready = await send(strict, 'ready_for_review', pr.draft);
    assert.equal(ready.status, 202);
    assert.equal(ready.body.skipped, undefined);
  });

  it('refuses a malformed pull_request payload with 400 naming what is wrong, and queues nothing', async () => {
    const url = `${await endpoint({ previews: ON })}/webhook`;
    const start = queue.list(500).length;
    const bad: Array<[(p: Record<string, any>) => void, RegExp]> = [
      [(p) => delete p.pull_request.head.sha, /pull_request\.head\.sha \(a commit sha\) is missing/],
      [(p) => (p.pull_request.head.sha = 'main'), /pull_request\.head\.sha/],
      [(p) => (p.pull_request.number = -1), /pull_request\.number/],
      [(p) => delete p.pull_request.base, /pull_request\.base\.ref/],
      [(p) => delete p.pull_request, /pull_request\.head\.ref.*are missing/],
      [(p) => (p.action = `opened${'x'.repeat(5000)}`), /^malformed pull_request payload: action is missing/],
      [(p) => (p.pull_request.base.repo.full_name = '<script>/x'), /pull_request\.base\.repo\.full_name \(owner\/name\)/],
      [(p) => (p.pull_request.head.repo.full_name = '../../x'), /pull_request\.head\.repo\.full_name/],
      [(p) => (p.pull_request.head.ref = 'a\nb'), /pull_request\.head\.ref/],
    ];
    for (const [mutate, message] of bad) {
      const r = await send(url, 'opened', pr.same, 'devsapp/fc', mutate);
      assert.equal(r.status, 400);
      assert.match(r.body.error, /^malformed pull_request payload: /);
      assert.match(r.body.error, message);
    }
    assert.equal(queue.list(500).length, start);
    assert.ok(queue.listRejections(20).some((x) => x.status === 400 && x.event === 'pull_request'));
  });

  it('a private base repository is recorded on the trigger, so the status pages protect it', async () => {
    const url = `${await endpoint({ previews: ON })}/webhook`;
    const r = await send(url, 'opened', pr.same, 'devsapp/fc', (p) => {
      p.repository.private = true;
      p.pull_request.base.repo.private = true;
    });
    assert.equal((queue.get(r.body.id)!.trigger as PreviewTrigger).private, true);
    assert.deepEqual(privateRepos(queue.list(500), sources), ['devsapp/fc']);
  });

  it('without preview settings (older wiring) a pull_request delivery is an event that triggers nothing', async () => {
    const r = await send(`${await endpoint({})}/webhook`, 'opened', pr.same);
    assert.equal(r.status, 202);
    assert.match(r.body.reason, /event "pull_request" does not trigger builds/);
  });
});

it('PREVIEWS, PREVIEW_DRAFTS, PREVIEW_FORKS: defaults on/false/false, words accepted, a friendly error otherwise', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'preview-settings-'));
  try {
    assert.deepEqual(loadConfig({ cwd, env: {} }).previews, { enabled: true, drafts: false, forks: false });
    assert.deepEqual(loadConfig({ cwd, env: { PREVIEWS: 'off', PREVIEW_DRAFTS: 'true', PREVIEW_FORKS: 'yes' } }).previews, {
      enabled: false,
      drafts: true,
      forks: true,
    });
    assert.deepEqual(loadConfig({ cwd, env: { PREVIEWS: ' ON ', PREVIEW_DRAFTS: '', PREVIEW_FORKS: '0' } }).previews, {
      enabled: true,
      drafts: false,
      forks: false,
    });
    assert.throws(
      () => loadConfig({ cwd, env: { PREVIEWS: 'maybe', PREVIEW_FORKS: 'sure' } }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /PREVIEWS: must be on or off \(default on\), e\.g\. PREVIEWS=off/);
        assert.match(err.message, /PREVIEW_FORKS: must be true or false \(default false\), e\.g\. PREVIEW_FORKS=true/);
        return true;
      },
    );
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
