/**
 * `npm run bench:fetch [-- --corpus [--corpus-dir ../shared/corpus]] [--latency ms] [--repos 12 --files 500]`
 * The fetch step against the fake GitHub (real git repositories on 127.0.0.1): 12 repositories with
 * 500 markdown files in all (synthetic, seeded; or the Serverless Devs corpus, ../shared/corpus,
 * with --corpus). Prints GitHub requests, total and counted against the rate limit (from the fake's
 * own ledger, cross-checked with what fetchSources reports), and wall time for:
 *   (a) a cold sync, (b) a push touching 1 file in 1 of 12 repos, (c) a rebuild with nothing
 *   changed, plus the file-by-file contents-API baseline for (a) (measured, not estimated) and a
 *   few more situations for information. Every fetch is checked against git, last commits included.
 * Targets: (b) ≤ 3 requests in total, (c) 0 counted, (a) ≥ 20× fewer requests than the baseline.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createGitHubClient } from '../functions/core/fetch/createGitHubClient.ts';
import { isDocFile } from '../functions/core/fetch/docFiles.ts';
import { openFetchCache } from '../functions/core/fetch/fetchCache.ts';
import { fetchSources, type FetchSourcesDeps, type FetchSourcesResult } from '../functions/core/fetch/fetchSources.ts';
import { RequestGate } from '../functions/core/fetch/requestGate.ts';
import type { FetchedSource, PushChanges, SourceConfig } from '../functions/core/types.ts';
import { startFakeGitHub, type FakeGitHub } from '../test/support/fakeGitHub.ts';
import { expectedDocs, seedCorpus, seedSynthetic } from '../test/support/fakeGitHubCorpus.ts';

const { values } = parseArgs({
  options: {
    corpus: { type: 'boolean', default: false },
    'corpus-dir': { type: 'string', default: '../shared/corpus' },
    latency: { type: 'string', default: '0' },
    repos: { type: 'string', default: '12' },
    files: { type: 'string', default: '500' },
  },
});
const corpus = values.corpus ? resolve(values['corpus-dir']) : undefined;
if (corpus && !existsSync(join(corpus, 'manifest.json'))) {
  console.error(`✗ no corpus at ${corpus} (manifest.json missing); run without --corpus for synthetic repositories`);
  process.exit(1);
}

const TOKEN = 'ghp_benchFetchToken0123456789';
const gh: FakeGitHub = await startFakeGitHub({ token: TOKEN, latencyMs: Number(values.latency) });
const dataDir = mkdtempSync(join(tmpdir(), 'bench-fetch-'));
const octokit = createGitHubClient({ baseUrl: gh.url, token: TOKEN });
const rows: Array<{ name: string; total: number; counted: number; ms: number; target?: string; ok?: boolean }> = [];
let failed = false;

try {
  const seedStart = performance.now();
  const sources: SourceConfig[] = corpus ? await seedCorpus(gh, corpus) : await seedSynthetic(gh, { repos: Number(values.repos), files: Number(values.files) });
  const docCount = (await Promise.all(sources.map((s) => expectedDocs(gh, s)))).reduce((n, e) => n + e.files.size, 0);
  console.log(
    `${sources.length} repositories, ${docCount} markdown files (${corpus ? `corpus ${corpus}` : 'synthetic'}), seeded in ${Math.round(performance.now() - seedStart)} ms; fake GitHub latency ${values.latency} ms\n`,
  );
  const cache = await openFetchCache(join(dataDir, 'cache', 'github'));

  /** Run one scenario: the fake's ledger is the truth; fetchSources' own count must agree. */
  const scenario = async (
    name: string,
    list: SourceConfig[],
    deps: Partial<FetchSourcesDeps>,
    target?: { text: string; ok: (c: { total: number; counted: number }) => boolean },
  ): Promise<FetchSourcesResult> => {
    const from = gh.requests.length;
    const started = performance.now();
    const result = await fetchSources(list, { octokit, cache, ...deps });
    const ms = Math.round(performance.now() - started);
    const seen = gh.requests.slice(from);
    const count = { total: seen.length, counted: seen.filter((r) => r.counted).length };
    if (result.failures.length) throw new Error(`${name}: ${result.failures.map((f) => `${f.source}: ${f.error}`).join('; ')}`);
    if (count.total !== result.requests.total || count.counted !== result.requests.counted) {
      console.warn(`! ${name}: fetchSources reported ${JSON.stringify(result.requests)}, the fake saw ${JSON.stringify(count)}`);
    }
    await verify(name, result.fetched, deps.lastUpdated !== 'none');
    const ok = target ? target.ok(count) : undefined;
    if (ok === false) failed = true;
    rows.push({ name, ...count, ms, ...(target ? { target: target.text, ok: ok! } : {}) });
    return result;
  };

  /** Every fetched source equals git at its branch head: same files, bytes and last commits. */
  const truths = new Map<string, Awaited<ReturnType<typeof expectedDocs>>>();
  const verify = async (name: string, fetched: FetchedSource[], dates: boolean): Promise<void> => {
    for (const f of fetched) {
      const repo = gh.repo(f.source.repo!.owner, f.source.repo!.name);
      const key = `${f.source.id}@${await repo.resolve(f.source.ref ?? repo.defaultBranch)}`;
      const truth = truths.get(key) ?? (await expectedDocs(gh, f.source));
      truths.set(key, truth);
      const problems: string[] = [];
      if (f.sha !== truth.sha) problems.push(`sha ${f.sha} ≠ ${truth.sha}`);
      if (f.files.length !== truth.files.size) problems.push(`${f.files.length} files ≠ ${truth.files.size}`);
      for (const file of f.files) {
        const t = truth.files.get(file.path);
        if (!t || Buffer.compare(Buffer.from(file.content), t.content) !== 0) problems.push(`${file.path}: content differs`);
        else if (dates && (file.lastCommit?.sha !== t.lastCommit.sha || file.lastCommit.date !== t.lastCommit.date))
          problems.push(`${file.path}: last commit ${file.lastCommit?.sha} ≠ ${t.lastCommit.sha}`);
      }
      if (problems.length) throw new Error(`${name}: ${f.source.id} is wrong: ${problems.slice(0, 5).join('; ')}`);
    }
  };
  const snapshots = new Map<string, FetchedSource>();
  const keep = (r: FetchSourcesResult): void => r.fetched.forEach((f) => snapshots.set(f.source.id, f));

  // (a) cold sync, and the file-by-file baseline it is compared with.
  keep(await scenario('(a) cold sync: 12 repos', sources, {}));
  const baseline = await contentsBaseline(sources);
  const cold = rows[0]!;
  const ratio = { total: baseline.total / cold.total, counted: baseline.counted / cold.counted };
  rows.push({
    name: '    baseline for (a): contents API, file by file',
    ...baseline,
    ms: baseline.ms,
    target: '(a) ≥ 20× fewer',
    ok: ratio.total >= 20 && ratio.counted >= 20,
  });
  if (ratio.total < 20 || ratio.counted < 20) failed = true;

  // (b) a push touching one file in one repository, with the changes as the webhook gives them.
  const pushed = sources[2]!;
  const before = snapshots.get(pushed.id)!;
  const path = before.files.find((f) => isDocFile(f.path, pushed.paths) && f.path.includes('/'))?.path ?? before.files[0]!.path;
  const date = '2025-03-01T10:00:00Z';
  const after = await gh.commit(pushed.repo!.owner, pushed.repo!.name, {
    ...(pushed.ref ? { branch: pushed.ref } : {}),
    files: { [path]: `# Changed\n\n一处修改。\n` },
    message: 'Fix a typo',
    author: { name: 'Pusher', email: 'p@example.com', date },
  });
  const changes: PushChanges = {
    before: before.sha,
    after,
    added: [],
    modified: [path],
    removed: [],
    complete: true,
    forced: false,
    commits: [{ id: after, timestamp: date, author: 'Pusher', paths: [path] }],
  };
  keep(
    await scenario(
      '(b) push: 1 file in 1 of 12 repos',
      [pushed],
      { previous: snapshots, changes: new Map([[pushed.id, changes]]) },
      { text: '≤ 3 total', ok: (c) => c.total <= 3 },
    ),
  );

  // (c) a rebuild of everything with nothing changed.
  keep(await scenario('(c) rebuild, nothing changed', sources, { previous: snapshots }, { text: '0 counted', ok: (c) => c.counted === 0 }));

  // For information: other situations the fetch step meets.
  await scenario('    rebuild, no snapshots (cache only)', sources, {});
  const other = sources[1]!;
  const o = snapshots.get(other.id)!;
  const moved = o.files.slice(0, 3).map((f) => f.path);
  const head = await gh.commit(other.repo!.owner, other.repo!.name, {
    ...(other.ref ? { branch: other.ref } : {}),
    files: Object.fromEntries(moved.map((p) => [p, `# Rewritten ${p}\n`])),
    message: 'Many commits',
  });
  keep(
    await scenario('    push with incomplete lists (compare API)', [other], {
      previous: snapshots,
      changes: new Map([[other.id, { before: o.sha, after: head, added: [], modified: [], removed: [], complete: false, forced: false }]]),
    }),
  );
  await scenario('    full rebuild (every cache ignored)', sources, { full: true });
  await scenario('    full rebuild, no last-updated dates', sources, { full: true, lastUpdated: 'none' });
} catch (err) {
  failed = true;
  console.error(`✗ ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  await gh.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);
console.log(`${'scenario'.padEnd(50)} ${pad('requests', 9)} ${pad('counted', 8)} ${pad('wall ms', 8)}  target`);
for (const r of rows) {
  console.log(`${r.name.padEnd(50)} ${pad(r.total, 9)} ${pad(r.counted, 8)} ${pad(r.ms, 8)}  ${r.target ? `${r.ok ? '✓' : '✗'} ${r.target}` : ''}`);
}
const cold = rows[0];
const base = rows.find((r) => r.name.includes('baseline'));
if (cold && base) {
  console.log(
    `\n(a) vs baseline: ${(base.total / cold.total).toFixed(1)}× fewer requests, ${(base.counted / cold.counted).toFixed(1)}× fewer counted against the rate limit`,
  );
  console.log(
    "requests = every HTTP request to GitHub (the tarball's codeload redirect hop included); counted = charged to the rate limit (REST core + GraphQL)",
  );
}
process.exit(failed ? 1 : 0);

/**
 * The naive way, measured: walk every docs folder with the contents API (one listing per folder),
 * download each markdown file with one more request. No last-updated dates (they would cost one
 * more request per file).
 */
async function contentsBaseline(sources: SourceConfig[]): Promise<{ total: number; counted: number; ms: number }> {
  const from = gh.requests.length;
  const started = performance.now();
  // Four requests in flight at a time, like the real fetch, so the wall times compare.
  const gate = new RequestGate({ maxInFlight: 4 });
  const get = async (params: { owner: string; repo: string; path: string; ref?: string }) => {
    const release = await gate.acquire();
    try {
      return (await octokit.rest.repos.getContent(params)).data;
    } finally {
      release();
    }
  };
  const walk = async (s: SourceConfig, dir: string): Promise<void> => {
    const at = { owner: s.repo!.owner, repo: s.repo!.name, ...(s.ref ? { ref: s.ref } : {}) };
    const data = await get({ ...at, path: dir });
    await Promise.all(
      (Array.isArray(data) ? data : []).map(async (e) => {
        if (e.type === 'dir') await walk(s, e.path);
        else if (e.type === 'file' && isDocFile(e.path, s.paths)) await get({ ...at, path: e.path });
      }),
    );
  };
  await Promise.all(sources.flatMap((s) => s.paths.map((p) => walk(s, p === '.' ? '' : p))));
  const seen = gh.requests.slice(from);
  return { total: seen.length, counted: seen.filter((r) => r.counted).length, ms: Math.round(performance.now() - started) };
}
