/**
 * PR preview benchmark: `npm run bench:pr-preview -- --pages 2000`. In a fresh data folder, a live
 * build of N synthetic pages (scripts/bench-build/syntheticSources.ts) through the real pipeline steps
 * (createBuildSteps: transform worker, warm site builder, atomic deploy; only GitHub is replaced by the
 * in-memory sources), then `--previews` (default 5) preview builds of a pull request changing one page
 * (each a new head commit editing another page), run as the local server runs them (runPreviewBuild).
 * Prints per preview and as the median: time from runPreviewBuild's start until the preview is
 * published, its phases, and the pages the site builder rendered. Options: --dir <folder>, --keep.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../functions/core/config/loadConfig.ts';
import { readPreview } from '../functions/core/deploy/previews.ts';
import { previewHosts } from '../functions/core/http/previewHosts.ts';
import { createBuildSteps } from '../functions/core/pipeline/createBuildSteps.ts';
import { type BuildSteps, runBuild } from '../functions/core/pipeline/runBuild.ts';
import { type FetchPullRequestStep, runPreviewBuild } from '../functions/core/pipeline/runPreviewBuild.ts';
import { loadSnapshot } from '../functions/core/pipeline/snapshots.ts';
import type { BuildRecord, PreviewTrigger, Trigger } from '../functions/core/types.ts';
import { editedFile, syntheticSources } from './bench-build/syntheticSources.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const pageCount = Number(option('pages') ?? 2000);
const previews = Number(option('previews') ?? 5);
if (!(pageCount > 0) || !(previews > 0)) throw new Error('--pages and --previews must be positive numbers');
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

const base = option('dir') ? resolve(option('dir')!) : await mkdtemp(join(tmpdir(), 'bench-pr-preview-'));
const config = loadConfig({ env: { DATA_DIR: join(base, 'data'), PORT: '8080' }, cwd: base });
const synthetic = syntheticSources(pageCount);
const sources = synthetic.map((f) => f.source);
const target = [...synthetic].sort((a, b) => b.files.length - a.files.length)[0]!;
let edit = { file: '', marker: '' };

const fetchPullRequest: FetchPullRequestStep = async (trigger, ctx) => {
  const live = (await loadSnapshot(ctx.dataDir, ctx.sources.find((x) => x.id === trigger.sources[0])!))!;
  const files = live.files.map((f) => (f.path === edit.file ? editedFile(f, edit.marker) : f));
  return { fetched: [{ ...live, sha: trigger.pr.headSha, files }], requests: 2 };
};
const steps: BuildSteps = {
  ...createBuildSteps(config),
  fetchSources: async (list) => ({ fetched: synthetic.filter((f) => list.some((x) => x.id === f.source.id)), failures: [] }),
  fetchPullRequest,
};
let n = 0;
const record = (trigger: Trigger): BuildRecord => ({
  id: `b${++n}`,
  state: 'running',
  trigger,
  createdAt: new Date().toISOString(),
  attempts: 1,
  phases: {},
  sources: [],
});
const ctx = { sources, dataDir: config.dataDir, steps, previewUrl: previewHosts(config.previewUrl).urlFor };

console.log(`bench:pr-preview ${pageCount} synthetic pages, ${previews} preview(s), in ${base}`);
try {
  const liveStarted = performance.now();
  const live = await runBuild(record({ kind: 'manual', full: true }), ctx);
  console.log(`live build: ${live.pages?.total} pages in ${s(performance.now() - liveStarted)} (${JSON.stringify(live.phases)})`);
  const results: Array<{ ms: number; rendered: number; phases: BuildRecord['phases'] }> = [];
  for (let k = 1; k <= previews; k++) {
    edit = { file: target.files[k % target.files.length]!.path, marker: `bench-preview-${k}` };
    const sha = k.toString(16).padStart(40, '0');
    const trigger: PreviewTrigger = {
      kind: 'preview',
      delivery: `bench-${k}`,
      action: 'open',
      sources: [target.source.id],
      pr: {
        repo: 'devsapp/bench',
        number: 1,
        title: 'Bench',
        url: 'https://github.com/devsapp/bench/pull/1',
        author: 'bench',
        headSha: sha,
        headRef: 'bench',
        headRepo: 'devsapp/bench',
        baseRef: 'main',
        draft: false,
        fork: false,
      },
    };
    const started = performance.now();
    const b = await runPreviewBuild(record(trigger), ctx);
    const ms = performance.now() - started;
    const published = await readPreview(config.dataDir, b.preview!.key);
    const html = await readFile(join(published!.siteDir, 'index.html'), 'utf8').catch(() => '');
    if (!published || published.info.pr.headSha !== sha || html === '') throw new Error(`preview ${k} was not published`);
    results.push({ ms, rendered: b.preview!.rendered ?? -1, phases: b.phases });
    console.log(
      `preview ${k}: published in ${s(ms)}; ${b.preview!.rendered} page(s) rendered; phases ${JSON.stringify(b.phases)}; pages ${JSON.stringify(b.pages)}`,
    );
  }
  console.log(`\nMedian of ${results.length} preview(s) of a one-page change at ${live.pages?.total} pages:`);
  console.log(`  runPreviewBuild start → preview published  ${s(median(results.map((r) => r.ms)))}`);
  console.log(`  pages rendered                            ${median(results.map((r) => r.rendered))}`);
  for (const phase of ['fetch', 'transform', 'build', 'deploy'] as const)
    console.log(`  ${phase.padEnd(41)} ${s(median(results.map((r) => r.phases[phase] ?? 0)))}`);
} finally {
  await steps.close?.();
  if (!args.includes('--keep')) await rm(base, { recursive: true, force: true });
}
