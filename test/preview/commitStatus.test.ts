/**
 * PR previews' commit status end to end on the local server's wiring (previewStatusHooks: the queue,
 * the reporter, settings from loadConfig) against the fake GitHub over real HTTP: `pending` when the
 * preview is queued (without holding up the caller), then success / failure (PREVIEW_INBOUND) / error
 * on the PR head, kept on the build record; a token that may not write statuses (403 fine-grained, 404
 * classic) gets one diagnostic, one attempt, nothing thrown, no more calls for that repository until
 * restart; a 502 is retried; secrets never reach GitHub or the log.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { PREVIEW_CONTEXT } from '../../functions/core/preview/createCommitStatusReporter.ts';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import type { BuildRecord, PreviewTrigger } from '../../functions/core/types.ts';
import { previewStatusHooks } from '../../functions/local/previewStatusHooks.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';

const TOKEN = 'ghp_commitStatusTest0123456789';
const PREVIEW_URL = 'http://fc-pr-7.preview.localhost:8080';

describe('commit status of PR previews (fake GitHub over HTTP)', () => {
  let gh: FakeGitHub;
  let dir: string;
  let queue: BuildQueue;
  let base: string;
  let head: string;

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'commit-status-'));
    queue = new BuildQueue(openDatabase(join(dir, 'queue.db')));
    base = await gh.createRepo('devsapp', 'fc', { 'docs/readme.md': '# FC', 'docs/setup.md': '# Setup\n\n## Install\n' });
    head = await gh.commit('devsapp', 'fc', { branch: 'rename', files: { 'docs/install.md': '# Install' }, delete: ['docs/setup.md'] });
    await gh.createRepo('devsapp', 'ops', { 'docs/guide.md': '# Guide' });
  });
  after(async () => {
    queue?.db.close();
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The local wiring as startLocal makes it, settings read by loadConfig; `lines` is its log. */
  function hooks(env: Record<string, string> = {}) {
    const lines: string[] = [];
    const config = loadConfig({ cwd: dir, env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.url, PUBLIC_URL: 'https://docs.example.com', ...env } });
    const h = previewStatusHooks({ config, queue, secrets: [TOKEN], log: (l) => lines.push(l), retry: { minTimeout: 5, maxTimeout: 20 } });
    return { h, lines, settled: () => h.reporter.settled() };
  }

  const trigger = (repo = 'devsapp/fc', sha = head, action: 'open' | 'close' = 'open'): PreviewTrigger => ({
    kind: 'preview',
    delivery: `d-${Math.random()}`,
    action,
    sources: [repo.split('/')[1]!],
    pr: {
      repo,
      number: 7,
      title: 'Rename setup',
      url: `https://github.com/${repo}/pull/7`,
      author: 'ana',
      headSha: sha,
      headRef: 'rename',
      headRepo: repo,
      baseRef: 'main',
      draft: false,
      fork: false,
    },
  });

  /** Queue a preview as the webhook does (then `queued`), and make it final as the worker would. */
  function queuedPreview(h: ReturnType<typeof hooks>['h'], t = trigger()): BuildRecord {
    const build = queue.enqueue(t);
    h.queued(build.id);
    return build;
  }
  function finalize(build: BuildRecord, over: Partial<BuildRecord>): BuildRecord {
    const done: BuildRecord = {
      ...build,
      state: 'succeeded',
      attempts: 1,
      finishedAt: new Date().toISOString(),
      sources: [{ id: 'fc', state: 'built', pages: 3, diagnostics: [] }],
      pages: { total: 3, added: 1, changed: 0, removed: 1 },
      preview: { key: 'fc-pr-7', url: PREVIEW_URL },
      ...over,
    };
    queue.save(done);
    return done;
  }
  const statuses = (sha = head) => gh.statuses.of('devsapp', 'fc', sha).map((s) => ({ state: s.state, description: s.description, target_url: s.target_url }));
  const statusPosts = (from: number) => gh.requests.slice(from).filter((r) => r.method === 'POST' && /\/statuses\//.test(r.path));

  it('pending when queued (the caller never waits), then success with the summary and the preview as target', async () => {
    const { h, settled } = hooks();
    const from = gh.requests.length;
    const build = queuedPreview(h);
    assert.equal(gh.requests.length, from, 'queued() returns before any request is sent');
    await settled();
    assert.deepEqual(statuses(), [
      { state: 'pending', description: 'Building the site preview with this commit', target_url: `https://docs.example.com/_builds/${build.id}` },
    ]);
    assert.equal(gh.statuses.of('devsapp', 'fc', head)[0]!.context, PREVIEW_CONTEXT);
    assert.deepEqual(statuses(base), [], 'the base commit is untouched');

    h.finish(finalize(build, {}));
    await settled();
    assert.deepEqual(statuses().at(-1), { state: 'success', description: 'Preview ready: pages +1 ~0 −1; no broken links', target_url: PREVIEW_URL });
    assert.deepEqual(queue.get(build.id)?.commitStatus, { state: 'success', description: 'Preview ready: pages +1 ~0 −1; no broken links' });
    const combined = await (await fetch(`${gh.url}/repos/devsapp/fc/commits/rename/status`, { headers: { authorization: `token ${TOKEN}` } })).json();
    assert.equal((combined as { state: string }).state, 'success');
    await h.close();
  });

  it('inbound links the PR breaks: failure with PREVIEW_INBOUND=fail (default), success with a warning with warn', async () => {
    const inboundBroken: BuildRecord['inboundBroken'] = [
      { from: { source: 'ops', file: 'guide.md', line: 3 }, to: { source: 'fc', url: '/fc/setup/#install' }, because: 'page removed' },
    ];
    const failing = hooks();
    const failed = queuedPreview(failing.h);
    failing.h.finish(finalize(failed, { inboundBroken }));
    await failing.settled();
    assert.deepEqual(statuses().slice(-2), [
      { state: 'pending', description: 'Building the site preview with this commit', target_url: `https://docs.example.com/_builds/${failed.id}` },
      { state: 'failure', description: '1 inbound link broken: ops/guide.md → /fc/setup/#install; pages +1 ~0 −1; no broken links', target_url: PREVIEW_URL },
    ]);
    const warning = hooks({ PREVIEW_INBOUND: 'warn' });
    warning.h.finish(finalize(queuedPreview(warning.h), { inboundBroken }));
    await warning.settled();
    assert.deepEqual(statuses().at(-1), {
      state: 'success',
      description: 'Preview ready: pages +1 ~0 −1; no broken links; warning: 1 inbound link broken: ops/guide.md → /fc/setup/#install',
      target_url: PREVIEW_URL,
    });
  });

  it('a failed build: error with the phase and message, the build page as target, the token never sent or logged', async () => {
    const { h, lines, settled } = hooks();
    const build = queuedPreview(h);
    h.finish(
      finalize(build, {
        state: 'failed',
        preview: undefined,
        pages: undefined,
        error: { phase: 'transform', message: `worker crashed reading https://x:${TOKEN}@example.com (token ${TOKEN})` },
      }),
    );
    await settled();
    assert.deepEqual(statuses().at(-1), {
      state: 'error',
      description: 'Preview failed in transform: worker crashed reading https://x:***@example.com (token ***)',
      target_url: `https://docs.example.com/_builds/${build.id}`,
    });
    assert.equal(queue.get(build.id)?.commitStatus?.state, 'error');
    assert.ok(!JSON.stringify(gh.statuses.of('devsapp', 'fc', head)).includes(TOKEN));
    assert.ok(!lines.join('\n').includes(TOKEN));
  });

  it('a closed PR sets nothing; builds that are not previews are ignored', async () => {
    const { h, settled } = hooks();
    const from = gh.requests.length;
    const close = queuedPreview(h, trigger('devsapp/fc', head, 'close'));
    h.finish(finalize(close, { preview: { key: 'fc-pr-7', url: PREVIEW_URL, removed: true } }));
    h.finish(finalize(queue.enqueue({ kind: 'manual', full: true }), {}));
    await settled();
    assert.deepEqual(statusPosts(from), []);
    assert.equal(queue.get(close.id)?.commitStatus, undefined);
  });

  for (const [access, status, said] of [
    ['read-fine-grained', 403, 'Resource not accessible by personal access token'],
    ['read-classic', 404, 'Not Found'],
  ] as const) {
    it(`a token that may not write statuses (${status}): one diagnostic naming the permission, one attempt, then no calls until restart`, async (t) => {
      gh.statuses.access(access);
      t.after(() => gh.statuses.access('write'));
      const { h, lines, settled } = hooks();
      const from = gh.requests.length;
      const first = queuedPreview(h);
      h.finish(finalize(first, {}));
      const second = queuedPreview(h);
      h.finish(finalize(second, {}));
      await settled();
      assert.equal(statusPosts(from).length, 1, 'one attempt: a refusal is not retried, and not asked again');
      const diagnostics = lines.filter((l) => /Commit status on devsapp\/fc not set/.test(l));
      assert.equal(diagnostics.length, 1, lines.join('\n'));
      assert.equal(lines.length, 1, `nothing else is logged: ${lines.join('\n')}`);
      assert.ok(diagnostics[0]!.includes(`GitHub answered ${status} "${said}"`), diagnostics[0]);
      for (const permission of ['repo:status', '"Commit statuses: Read and write"', 'GitHub App: the "Commit statuses" permission']) {
        assert.ok(diagnostics[0]!.includes(permission), permission);
      }
      assert.match(diagnostics[0]!, /Previews keep working; no more status updates for devsapp\/fc until restart/);
      for (const b of [first, second]) assert.equal(queue.get(b.id)?.commitStatus?.problem, diagnostics[0], 'the build page shows it');
      assert.equal(queue.get(first.id)?.state, 'succeeded', 'the preview build itself is untouched');

      // Even once the token could write, this process asks no more; a restart (a new reporter) does.
      gh.statuses.access('write');
      const third = queuedPreview(h);
      h.finish(finalize(third, {}));
      await settled();
      assert.equal(statusPosts(from).length, 1);
      const restarted = hooks();
      restarted.h.finish(finalize(third, {}));
      await restarted.settled();
      assert.equal(statusPosts(from).length, 2);
      assert.equal(queue.get(third.id)?.commitStatus?.state, 'success');
    });
  }

  it('a rate limit is not taken for a missing permission; a bad token (401) is said once, naming GITHUB_TOKEN', async () => {
    const { h, lines, settled } = hooks();
    const from = gh.requests.length;
    gh.inject({ kind: 'rate-limit-exhausted', resetIn: 3600, method: 'POST', path: /\/statuses\// });
    const limited = queuedPreview(h);
    await settled();
    assert.match(lines.join('\n'), /Commit status pending on devsapp\/fc@\w{7} not set: GitHub answered 403 .*rate limit/);
    h.finish(finalize(limited, {}));
    await settled();
    assert.equal(statusPosts(from).length, 2, 'asked again after the rate limit');
    assert.equal(statuses().at(-1)?.state, 'success');

    const bad = hooks({ GITHUB_TOKEN: 'ghp_wrongToken0123456789' });
    const a = queuedPreview(bad.h);
    bad.h.finish(finalize(a, {}));
    await bad.settled();
    assert.equal(statusPosts(from).length, 3);
    assert.equal(bad.lines.length, 1, bad.lines.join('\n'));
    assert.match(bad.lines[0]!, /GitHub answered 401 "Bad credentials" — GITHUB_TOKEN is missing, wrong or expired/);
    assert.ok(!bad.lines[0]!.includes('ghp_wrongToken0123456789'));
  });

  it('a 502 from GitHub is retried, and the updates of one repository stay in order', async () => {
    const { h, lines, settled } = hooks();
    gh.inject({ kind: 'status', status: 502, times: 1, method: 'POST', path: /\/statuses\// });
    const from = gh.requests.length;
    const build = queuedPreview(h);
    // Final before the pending update got through: it still lands after it (not overwritten by a late pending).
    h.finish(finalize(build, {}));
    await settled();
    assert.deepEqual(
      statusPosts(from).map((r) => r.status),
      [502, 201, 201],
    );
    assert.deepEqual(
      statuses()
        .slice(-2)
        .map((s) => s.state),
      ['pending', 'success'],
    );
    // Three 502s in a row: still set on the fourth attempt.
    gh.inject({ kind: 'status', status: 502, times: 3, method: 'POST', path: /\/statuses\// });
    h.finish(finalize(build, { pages: { total: 3, added: 0, changed: 2, removed: 0 } }));
    await settled();
    assert.deepEqual(
      statusPosts(from).map((r) => r.status),
      [502, 201, 201, 502, 502, 502, 201],
    );
    assert.equal(statuses().at(-1)?.description, 'Preview ready: pages +0 ~2 −0; no broken links');
    assert.equal(lines.filter((l) => /GitHub answered 502 for commit status on devsapp\/fc.*retry \d of/.test(l)).length, 4, lines.join('\n'));
    assert.ok(!lines.join('\n').includes(TOKEN));
  });
});
