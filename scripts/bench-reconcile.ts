/**
 * `npm run bench:reconcile [-- --corpus [--corpus-dir ../shared/corpus]] [--repos 12 --files 500] [--every 5m]`
 * The reconcile sweep against the fake GitHub (real git repositories on 127.0.0.1, GitHub's
 * conditional-request and rate-limit rules): 12 repositories, 500 markdown files (synthetic, or the
 * Serverless Devs corpus). After a cold sync as the first start does it (every cache ignored), prints
 * per sweep the requests, those counted against the rate limit and the rate-limit points GitHub's
 * own `/rate_limit` says were used, when nothing changed and when one repository moved (two missed
 * pushes); then the build's fetch of what moved, and the delay from a missed push to live with the
 * schedule (`RECONCILE_EVERY`, default 5m). Target: 0 counted when nothing changed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_RECONCILE_EVERY } from '../functions/core/config/loadConfig.ts';
import { describeDuration, parseDuration } from '../functions/core/config/parseDuration.ts';
import { createGitHubClient } from '../functions/core/fetch/createGitHubClient.ts';
import { openFetchCache } from '../functions/core/fetch/fetchCache.ts';
import { fetchSources } from '../functions/core/fetch/fetchSources.ts';
import { fetchWithFallback } from '../functions/core/pipeline/fetchWithFallback.ts';
import { planFetch } from '../functions/core/pipeline/planFetch.ts';
import { saveSnapshot } from '../functions/core/pipeline/snapshots.ts';
import { BuildQueue } from '../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../functions/core/queue/openDatabase.ts';
import { reconcileSources } from '../functions/core/reconcile/reconcileSources.ts';
import type { SourceConfig } from '../functions/core/types.ts';
import { startFakeGitHub } from '../test/support/fakeGitHub.ts';
import { seedCorpus, seedSynthetic } from '../test/support/fakeGitHubCorpus.ts';

const { values } = parseArgs({
  options: {
    corpus: { type: 'boolean', default: false },
    'corpus-dir': { type: 'string', default: '../shared/corpus' },
    repos: { type: 'string', default: '12' },
    files: { type: 'string', default: '500' },
    every: { type: 'string', default: DEFAULT_RECONCILE_EVERY },
  },
});
const corpus = values.corpus ? resolve(values['corpus-dir']) : undefined;
if (corpus && !existsSync(join(corpus, 'manifest.json'))) {
  console.error(`✗ no corpus at ${corpus} (manifest.json missing); run without --corpus for synthetic repositories`);
  process.exit(1);
}
const everyMs = parseDuration(values.every);
if (!everyMs) {
  console.error(`✗ --every ${values.every}: a duration such as 30s or 5m`);
  process.exit(1);
}

const TOKEN = 'ghp_benchReconcile0123456789';
const gh = await startFakeGitHub({ token: TOKEN });
const dataDir = mkdtempSync(join(tmpdir(), 'bench-reconcile-'));
const octokit = createGitHubClient({ baseUrl: gh.url, token: TOKEN, warn: () => {} });
const queue = new BuildQueue(openDatabase(join(dataDir, 'queue.db')));
const rows: Array<{ name: string; total: number; counted: number; points: number; ms: number; target?: string; ok?: boolean }> = [];
let failed = false;

/** Rate-limit points used so far, as GitHub reports them (GET /rate_limit is free). */
const pointsUsed = async (): Promise<number> => (await octokit.rest.rateLimit.get()).data.resources.core.used;

async function measure<T>(
  name: string,
  run: () => Promise<T>,
  target?: { text: string; ok: (c: { counted: number; points: number }) => boolean },
): Promise<{ value: T; ms: number }> {
  const points = await pointsUsed();
  const from = gh.requests.length;
  const started = performance.now();
  const value = await run();
  const ms = Math.round(performance.now() - started);
  const seen = gh.requests.slice(from);
  const count = { total: seen.length, counted: seen.filter((r) => r.counted).length, points: (await pointsUsed()) - points };
  const ok = target?.ok(count);
  if (ok === false) failed = true;
  rows.push({ name, ...count, ms, ...(target ? { target: target.text, ok: ok! } : {}) });
  return { value, ms };
}

try {
  const sources: SourceConfig[] = corpus ? await seedCorpus(gh, corpus) : await seedSynthetic(gh, { repos: Number(values.repos), files: Number(values.files) });
  const sweep = () => reconcileSources({ sources, dataDir, octokit, queue, staleAfterMs: 3_600_000, publicUrl: 'http://localhost:8080' });
  const cache = await openFetchCache(join(dataDir, 'cache', 'github'));

  const cold = await measure('cold sync (first start: full, no cache)', () => fetchSources(sources, { octokit, full: true }));
  for (const f of cold.value.fetched) await saveSnapshot(dataDir, f);
  await measure(`sweep right after the cold sync, nothing changed (${sources.length} repos)`, sweep, {
    text: '0 counted',
    ok: (c) => c.counted === 0 && c.points === 0,
  });
  await measure('sweep again, nothing changed', sweep, { text: '0 counted', ok: (c) => c.counted === 0 && c.points === 0 });

  const moved = sources[Math.min(4, sources.length - 1)]!;
  const { owner, name } = moved.repo!;
  const branch = moved.ref ? { branch: moved.ref } : {};
  await gh.commit(owner, name, { ...branch, files: { 'docs/missed-1.md': '# Missed 1\n\nA push never delivered.\n' }, message: 'Missed push 1' });
  await gh.commit(owner, name, { ...branch, files: { 'docs/missed-2.md': '# Missed 2\n\nAnother one.\n' }, message: 'Missed push 2' });
  const found = await measure('sweep, 1 repo moved (2 missed pushes)', sweep, { text: '≤ 2 counted', ok: (c) => c.counted <= 2 });
  const build = found.value.build;
  if (build?.trigger.kind !== 'reconcile' || build.trigger.sources.length !== 1)
    throw new Error(`expected one reconcile build for ${moved.id}, got ${JSON.stringify(build?.trigger)}`);
  const fetch = await measure("the reconcile build's fetch (only the moved source)", () =>
    fetchWithFallback(sources, planFetch(build, sources), { dataDir, log: () => {}, fetchSources: (list, o) => fetchSources(list, { octokit, cache, ...o }) }),
  );
  const refetched = [...fetch.value.values()].filter((s) => s.outcome.fetched).map((s) => s.outcome.id);
  if (refetched.join() !== moved.id) throw new Error(`expected only ${moved.id} refetched, got ${refetched.join(', ')}`);

  const pad = (s: string | number, n: number): string => String(s).padStart(n);
  console.log(`${sources.length} repositories (${corpus ? `corpus ${corpus}` : 'synthetic'}); schedule RECONCILE_EVERY=${values.every}\n`);
  console.log(`${'scenario'.padEnd(58)} ${pad('requests', 9)} ${pad('counted', 8)} ${pad('points', 7)} ${pad('wall ms', 8)}  target`);
  for (const r of rows)
    console.log(
      `${r.name.padEnd(58)} ${pad(r.total, 9)} ${pad(r.counted, 8)} ${pad(r.points, 7)} ${pad(r.ms, 8)}  ${r.target ? `${r.ok ? '✓' : '✗'} ${r.target}` : ''}`,
    );
  const tail = found.ms + fetch.ms;
  console.log(
    `\nmissed push → live, RECONCILE_EVERY=${values.every}: found by the next sweep, at most ${describeDuration(everyMs)} later (${describeDuration(everyMs / 2)} on average;`,
  );
  console.log(`at once when the push was missed because the server was down: a sweep runs at start), then ${tail} ms of sweep and fetch`);
  console.log('plus the build (transform, render, deploy: ~1 s warm for a one-page change, see npm run bench:build).');
  console.log(`worst case ≈ ${describeDuration(everyMs + tail + 1000)}; average ≈ ${describeDuration(everyMs / 2 + tail + 1000)}`);
  console.log('requests = every HTTP request to GitHub; counted = charged to the rate limit; points = core rate limit used, from GET /rate_limit');
} catch (err) {
  failed = true;
  console.error(`✗ ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  queue.db.close();
  await gh.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
