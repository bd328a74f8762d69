/**
 * The local server's wiring of PR previews' commit status (startLocal → previewStatusHooks, the
 * builder's onFinal): a preview queued as the webhook queues it gets `pending` on the PR head of the
 * fake GitHub; its build failing for good (the fetch step fails, with the token in its message) turns
 * the status to `error` with the phase and the message redacted, and the build page shows it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PreviewTrigger } from '../../functions/core/types.ts';
import { startLocal } from '../../functions/local/startLocal.ts';
import { startFakeGitHub } from '../support/fakeGitHub.ts';

const TOKEN = 'ghp_commitStatusLocal0123456789';

test('local server: pending when a preview is queued, error with the redacted message when its build fails, on the build page', async (t) => {
  const gh = await startFakeGitHub({ token: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'commit-status-local-'));
  t.after(async () => {
    await gh.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await gh.createRepo('devsapp', 'fc', { 'docs/readme.md': '# FC' });
  const head = await gh.commit('devsapp', 'fc', { branch: 'fix', files: { 'docs/readme.md': '# FC, fixed' } });
  writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: fc\n    title: FC\n    repo: devsapp/fc\n    paths: [docs]\n');
  const lines: string[] = [];
  const rt = await startLocal({
    env: {
      SOURCES_FILE: join(dir, 'sources.yaml'),
      DATA_DIR: join(dir, 'data'),
      PORT: '0',
      PUBLIC_URL: 'https://docs.example.com',
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: gh.url,
    },
    cwd: dir,
    host: '127.0.0.1',
    initialBuild: false,
    log: (l) => lines.push(l),
    queue: { maxAttempts: 1 },
    steps: {
      fetchSources: async () => {
        throw new Error(`GitHub refused the token ${TOKEN}`);
      },
      // A preview's sources are read by the pull request step: it fails the same way.
      fetchPullRequest: async () => {
        throw new Error(`GitHub refused the token ${TOKEN}`);
      },
    },
  });
  t.after(() => rt.close());

  const trigger: PreviewTrigger = {
    kind: 'preview',
    delivery: 'pr-delivery-1',
    action: 'open',
    sources: ['fc'],
    pr: {
      repo: 'devsapp/fc',
      number: 3,
      title: 'Fix the readme',
      url: 'https://github.com/devsapp/fc/pull/3',
      author: 'ana',
      headSha: head,
      headRef: 'fix',
      headRepo: 'devsapp/fc',
      baseRef: 'main',
      draft: false,
      fork: false,
    },
  };
  // What the webhook's onQueued does once a pull_request delivery is queued.
  const build = rt.queue.enqueue(trigger);
  rt.statuses.queued(build.id);
  rt.worker.wake();
  await rt.statuses.reporter.settled();
  assert.equal(gh.statuses.of('devsapp', 'fc', head)[0]?.state, 'pending');

  for (let i = 0; i < 200 && rt.queue.get(build.id)?.commitStatus === undefined; i++) {
    await rt.worker.idle();
    await rt.statuses.reporter.settled();
    await new Promise((r) => setTimeout(r, 10));
  }
  const after = rt.queue.get(build.id)!;
  assert.equal(after.state, 'failed');
  assert.match(after.error!.message, /GitHub refused the token \*\*\*/, 'the build record never holds the secret');
  assert.ok(!JSON.stringify(after).includes(TOKEN));
  const set = gh.statuses.of('devsapp', 'fc', head);
  assert.deepEqual(
    set.map((s) => s.state),
    ['pending', 'error'],
  );
  assert.match(set[1]!.description!, /^Preview failed in fetch: .*GitHub refused the token \*\*\*/);
  assert.equal(set[1]!.target_url, `https://docs.example.com/_builds/${build.id}`);
  assert.deepEqual(after.commitStatus, { state: 'error', description: set[1]!.description });

  const page = await (await fetch(`${rt.url}/_builds/${build.id}`)).text();
  const row = /<th[^>]*>GitHub status<\/th><td>(.*?)<\/td>/.exec(page)?.[1] ?? '';
  assert.match(row, /^error: Preview failed in fetch: .*\*\*\*/);
  assert.ok(!row.includes(TOKEN) && !JSON.stringify(set).includes(TOKEN));
  assert.ok(!lines.join('\n').includes(TOKEN), lines.join('\n'));
});
