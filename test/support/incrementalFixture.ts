import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { createGitHubClient } from '../../functions/core/fetch/createGitHubClient.ts';
import { openFetchCache } from '../../functions/core/fetch/fetchCache.ts';
import { fetchSources, type FetchSourcesDeps, type FetchSourcesResult } from '../../functions/core/fetch/fetchSources.ts';
import type { SourceConfig } from '../../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from './fakeGitHub.ts';

const TOKEN = 'ghp_incrementalTestToken';
const fast = { minTimeout: 1, maxTimeout: 5, randomize: false };
export const FC: SourceConfig = { id: 'fc', title: 'FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] };
export const FC3: SourceConfig = { id: 'fc3', title: 'FC3', repo: { owner: 'devsapp', name: 'fc3' }, ref: 'master', paths: ['docs'] };
export const docs = (prefix: string, n: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`docs/${prefix}${i}.md`, `# ${prefix} ${i}\n\n内容 ${i}\n`]));
export const at = (date: string) => ({ name: 'Writer', email: 'w@example.com', date });

export interface IncrementalFixture {
  gh: FakeGitHub;
  dir: string;
  octokit: () => ReturnType<typeof createGitHubClient>;
  paths: () => string[];
  counted: () => number;
  run: (sources: SourceConfig[], deps?: Partial<FetchSourcesDeps>) => Promise<FetchSourcesResult>;
}

/**
 * In the current describe: a fake GitHub with devsapp/fc (main) and devsapp/fc3 (master), a temporary
 * persistent cache, and `run`, which fetches with that cache and checks fetchSources counts what GitHub saw.
 * `ready` gets the fixture once it is up.
 */
export function useIncrementalFixture(ready: (fixture: IncrementalFixture) => void): void {
  let gh: FakeGitHub;
  let dir: string;
  const octokit = () => createGitHubClient({ baseUrl: gh.url, token: TOKEN });
  const paths = (): string[] => gh.requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}${r.status === 304 ? ' 304' : ''}`);
  const counted = (): number => gh.requests.filter((r) => r.counted).length;

  before(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    dir = await mkdtemp(join(tmpdir(), 'fetch-incremental-'));
    await gh.createRepo('devsapp', 'fc', {}, { defaultBranch: 'main' });
    await gh.commit('devsapp', 'fc', {
      files: { ...docs('p', 12), 'docs/guide/start.md': '# Start\n', 'src/a.ts': '1\n' },
      author: at('2024-01-01T00:00:00Z'),
    });
    await gh.commit('devsapp', 'fc', { files: { 'docs/p3.md': '# p3 v2\n' }, author: at('2024-02-01T00:00:00Z') });
    await gh.createRepo('devsapp', 'fc3', {}, { defaultBranch: 'master' });
    await gh.commit('devsapp', 'fc3', { files: docs('q', 3), author: at('2024-03-01T00:00:00Z') });
    const run: IncrementalFixture['run'] = async (sources, deps = {}) => {
      gh.requests.length = 0;
      const cache = await openFetchCache(join(dir, 'cache'));
      const result = await fetchSources(sources, { octokit: octokit(), cache, github: { retry: fast }, ...deps });
      assert.deepEqual(result.failures, []);
      assert.deepEqual(result.requests, { total: gh.requests.length, counted: counted() }, 'fetchSources counts what GitHub saw');
      return result;
    };
    ready({ gh, dir, octokit, paths, counted, run });
  });
  beforeEach(() => {
    gh.requests.length = 0;
  });
  after(async () => {
    await gh.close();
    await rm(dir, { recursive: true, force: true });
  });
}
