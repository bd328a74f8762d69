/**
 * Versions listed from the fake GitHub (real git tags and branches, real HTTP, GitHub's `matching-refs`
 * and conditional-request rules): a build lists a versioned source's versions with one request per kind,
 * the newest of each by version order, and keeps the list in DATA_DIR so builds that cannot have changed
 * it ask nothing; a reconcile sweep over unchanged versions costs no counted request, and a tag pushed
 * without a delivery gets one reconcile build naming the version added and the one that fell out.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseSources } from '../../functions/core/config/loadSources.ts';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { type FetchCache, openFetchCache } from '../../functions/core/fetch/fetchCache.ts';
import { listMatchingRefs } from '../../functions/core/fetch/listMatchingRefs.ts';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import { reconcileSources } from '../../functions/core/reconcile/reconcileSources.ts';
import type { BuildRecord, SourceConfig, Trigger } from '../../functions/core/types.ts';
import { resolveVersions } from '../../functions/core/versions/resolveVersions.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';

const TOKEN = 'ghp_versionsTest0123456789';
const build = (trigger: Trigger): BuildRecord => ({ id: 'b', state: 'queued', trigger, createdAt: '', attempts: 0, phases: {}, sources: [] });

describe('versions listed from GitHub', () => {
  let gh: FakeGitHub;
  let dir: string;
  let sources: SourceConfig[];
  let queue: BuildQueue;
  const octokit = () => createGitHubClient({ baseUrl: gh.url, token: TOKEN, warn: () => {} });
  const lines: string[] = [];
  let cache: FetchCache;
  // As a server does: one client and one conditional-request cache for its builds.
  const resolve = async (trigger: Trigger) =>
    resolveVersions(build(trigger), sources, { dataDir: dir, listRefs: listMatchingRefs(octokit(), cache), log: (l) => lines.push(l) });

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'versions-'));
    await gh.createRepo('acme', 'gadgets', { 'docs/readme.md': '# Gadgets\n' });
    const repo = gh.repo('acme', 'gadgets');
    for (const tag of ['v1.8', 'v1.9', 'v1.10', 'nightly', 'w1']) await repo.tag(tag);
    for (const branch of ['release-1', 'release-2', 'feature-x']) await gh.commit('acme', 'gadgets', { branch, files: { 'docs/b.md': branch } });
    sources = parseSources(
      {
        sources: [
          { id: 'gadgets', title: 'Gadgets', repo: 'acme/gadgets', versions: { tags: 'v*', branches: ['release-*'], newest: 2 } },
          { id: 'other', title: 'Other', repo: 'acme/gadgets', paths: ['other'] },
        ],
      },
      dir,
      'sources file',
      null,
    );
    queue = new BuildQueue(openDatabase(join(dir, 'queue.db')));
    cache = await openFetchCache(join(dir, 'cache'));
  });
  after(async () => {
    queue?.db.close();
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists each kind with one request, the newest 2 of each by version order', async () => {
    const from = gh.requests.length;
    const expanded = await resolve({ kind: 'manual', full: false });
    assert.deepEqual(
      expanded.map((s) => s.id),
      ['gadgets', 'gadgets/v1.10', 'gadgets/v1.9', 'gadgets/release-2', 'gadgets/release-1', 'other'],
    );
    assert.deepEqual(
      gh.requests.slice(from).map((r) => r.path),
      ['/repos/acme/gadgets/git/matching-refs/tags/v', '/repos/acme/gadgets/git/matching-refs/heads/release-'],
    );
    assert.match(lines.join('\n'), /versions of gadgets: v1\.10, v1\.9, release-2, release-1/);
  });

  it('a build no push or rebuild could have changed them for asks nothing; a matching push lists again', async () => {
    let from = gh.requests.length;
    const push = (ref: string): Trigger => ({ kind: 'push', repo: 'acme/gadgets', ref, sha: 'c'.repeat(40), pusher: 'p', delivery: 'd' });
    const same = await resolve(push('refs/heads/main'));
    assert.equal(same.length, 6);
    assert.deepEqual(gh.requests.slice(from), [], 'the list kept in DATA_DIR');
    await resolve(push('refs/tags/v1.10'));
    const asked = gh.requests.slice(from);
    assert.equal(asked.length, 2);
    assert.ok(
      asked.every((r) => r.status === 304 && !r.counted),
      JSON.stringify(asked),
    );
    from = gh.requests.length;
    await resolve(push('refs/tags/nightly'));
    assert.deepEqual(gh.requests.slice(from), [], 'nightly does not match v*');
  });

  it('a sweep over unchanged versions costs no counted request; a tag never delivered gets one reconcile build', async () => {
    const sweep = () => reconcileSources({ sources, dataDir: dir, octokit: octokit(), queue, staleAfterMs: 0, publicUrl: 'http://docs.test' });
    await sweep(); // the first sweep learns the listings' ETags
    const from = gh.requests.length;
    const quiet = await sweep();
    assert.equal(quiet.build, undefined);
    assert.deepEqual(quiet.sweep.requests, { total: 2, counted: 0 });
    assert.ok(gh.requests.slice(from).every((r) => r.status === 304));

    const sha = await gh.repo('acme', 'gadgets').tag('v2.0');
    const moved = await sweep();
    assert.ok(moved.build, 'one build queued');
    const trigger = moved.build.trigger as Extract<Trigger, { kind: 'reconcile' }>;
    assert.deepEqual(
      trigger.sources.map((s) => [s.id, s.ref, s.from.slice(0, 7), s.to.slice(0, 7)]),
      [
        ['gadgets/v2.0', 'v2.0', '0000000', sha.slice(0, 7)],
        ['gadgets/v1.9', 'v1.9', sha.slice(0, 7), '0000000'],
      ],
    );
    // That build lists the versions again: v2.0 in, v1.9 out.
    const expanded = await resolve(trigger);
    assert.deepEqual(
      expanded.map((s) => s.id),
      ['gadgets', 'gadgets/v2.0', 'gadgets/v1.10', 'gadgets/release-2', 'gadgets/release-1', 'other'],
    );
  });
});
