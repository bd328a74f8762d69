import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { openFetchCache } from '../../functions/core/fetch/fetchCache.ts';
import { fetchSources, type FetchSourcesDeps } from '../../functions/core/fetch/fetchSources.ts';
import type { FetchedSource, PushChanges, SourceConfig } from '../../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { expectedDocs, seedSynthetic } from '../support/fakeGitHubCorpus.ts';

const TOKEN = 'ghp_faultTestToken';

describe('fetchSources against a GitHub that misbehaves at random', () => {
  let gh: FakeGitHub;
  let dir: string;
  let sources: SourceConfig[];
  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    dir = await mkdtemp(join(tmpdir(), 'fetch-faults-'));
    sources = await seedSynthetic(gh, { repos: 3, files: 40, commits: 1, seed: 3 });
  });
  after(async () => {
    await gh.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('20% 5xx, 10% resets, hangs, cut-short bodies and secondary rate limits: every file arrives intact', { timeout: 180_000 }, async () => {
    const octokit = createGitHubClient({ baseUrl: gh.url, token: TOKEN, warn: () => {} });
    const retries: string[] = [];
    const deps = async (extra: Partial<FetchSourcesDeps> = {}): Promise<FetchSourcesDeps> => ({
      octokit,
      cache: await openFetchCache(join(dir, 'cache')),
      // Fast retries, short timeouts (a hung request is abandoned after 1 s), enough attempts for these odds.
      github: { retry: { retries: 15, minTimeout: 1, maxTimeout: 10, randomize: false, timeoutMs: 1_000, maxWaitMs: 5_000 }, downloadTimeoutMs: 2_000 },
      onProgress: (line) => retries.push(line),
      ...extra,
    });
    const check = async (fetched: FetchedSource[]): Promise<void> => {
      for (const f of fetched) {
        const truth = await expectedDocs(gh, f.source);
        assert.equal(f.sha, truth.sha);
        assert.deepEqual(
          f.files.map((x) => x.path),
          [...truth.files.keys()].sort(),
        );
        for (const file of f.files) {
          assert.ok(Buffer.from(file.content).equals(truth.files.get(file.path)!.content), `${f.source.id} ${file.path}`);
          assert.equal(
            file.lastCommit?.sha,
            truth.files.get(file.path)!.lastCommit.sha,
            `${f.source.id} ${file.path}: last commit\n${retries.filter((l) => !/retry \d+ of/.test(l)).join('\n')}`,
          );
        }
      }
    };
    gh.faultRates({ seed: 20240601, status: 0.2, reset: 0.1, hang: 0.02, truncate: 0.03, secondaryRateLimit: 0.03, retryAfter: 1 });
    // And each kind at least once, whatever order the requests arrive in.
    gh.inject({ kind: 'hang', path: /\/tarball/ });
    gh.inject({ kind: 'truncate', path: /^\/_codeload\// });
    gh.inject({ kind: 'secondary-rate-limit', retryAfter: 1, path: /\/contents\// });
    gh.inject({ kind: 'reset', path: /^\/graphql/ });
    gh.inject({ kind: 'status', status: 502, path: /\/compare\// });

    const cold = await fetchSources(sources, await deps());
    assert.deepEqual(cold.failures, []);
    await check(cold.fetched);
    const previous = new Map(cold.fetched.map((f) => [f.source.id, f]));

    // A push through the contents API, one through the compare API, and a rebuild with nothing new.
    const [a, b] = sources as [SourceConfig, SourceConfig];
    const changed = (f: FetchedSource): string[] => f.files.slice(0, 2).map((x) => x.path);
    const push = async (s: SourceConfig, complete: boolean): Promise<[string, PushChanges]> => {
      const before = previous.get(s.id)!;
      const paths = changed(before);
      const when = '2025-02-02T02:02:02Z';
      const after = await gh.commit(s.repo!.owner, s.repo!.name, {
        ...(s.ref ? { branch: s.ref } : {}),
        files: Object.fromEntries(paths.map((p) => [p, `# 改 ${p}\n`])),
        author: { name: 'P', email: 'p@example.com', date: when },
      });
      return [
        s.id,
        { before: before.sha, after, added: [], modified: paths, removed: [], complete, forced: false, commits: [{ id: after, timestamp: when, paths }] },
      ];
    };
    const changes = new Map([await push(a, true), await push(b, false)]);
    const pushed = await fetchSources([a, b], await deps({ previous, changes }));
    assert.deepEqual(pushed.failures, []);
    await check(pushed.fetched);
    assert.deepEqual(
      pushed.stats.map((s) => s.mode),
      ['push', 'compare'],
    );
    for (const f of pushed.fetched) previous.set(f.source.id, f);

    const again = await fetchSources(sources, await deps({ previous }));
    assert.deepEqual(again.failures, []);
    await check(again.fetched);

    assert.equal(gh.pendingFaults(), 0);
    const kinds = new Set(gh.requests.map((r) => r.fault).filter(Boolean));
    assert.deepEqual([...kinds].sort(), ['hang', 'reset', 'secondary-rate-limit', 'status', 'truncate'], 'every kind of fault was met');
    assert.ok(
      retries.some((l) => /retry \d+ of 15/.test(l)),
      'retries are reported',
    );
    gh.faultRates(undefined);
  });
});
