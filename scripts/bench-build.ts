/**
 * Build benchmark: `npm run bench:build -- --pages 2000` (synthetic pages) or `-- --corpus <dir>`;
 * `-- --pages 10000 --versions 5` splits the synthetic pages over 5 versions of the 20 components
 * (issue 11's 10,000-page run: see syntheticSources.ts).
 * Runs the real pipeline steps as runBuild does (transformSource with the site index → writeContent →
 * the site builder → deployRelease) in a fresh data folder, and prints for each run and as medians:
 *   cold          first build: ms per page, wall time (transform shown apart), peak RSS of the process tree
 *   size          HTML bytes per page (mean, max), the whole release
 *   unchanged     the same content built again
 *   edit          one page's body edited until the new release is live, as runBuild does it in a
 *                 running server: warm site builder, transform worker with its cache (createTransformRunner)
 *   edit, new process  the same with a builder process and a transform worker started for it (the CLI's case)
 * Options: --runs N (default 3), --versions N (default 1), --dir <folder> (default a temp folder), --keep (keep the folders),
 * --log (print the site builder's lines), --no-new-process (skip the edit in a new builder process).
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSiteBuilder, type SiteBuilder } from '../functions/core/build/createSiteBuilder.ts';
import { writeContent } from '../functions/core/build/writeContent.ts';
import { deployRelease } from '../functions/core/deploy/deployRelease.ts';
import { createTransformRunner, type TransformRunner } from '../functions/core/transform/createTransformRunner.ts';
import type { FetchedSource, Page } from '../functions/core/types.ts';
import { corpusSources } from './bench-build/corpusSources.ts';
import { editedFile, syntheticSources } from './bench-build/syntheticSources.ts';
import { watchTreeMemory } from './bench-build/treeMemory.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const corpus = option('corpus');
const pageCount = Number(option('pages') ?? 2000);
const runs = Number(option('runs') ?? 3);
const versions = Number(option('versions') ?? 1);
const keep = args.includes('--keep');
const log = args.includes('--log');
const skipNewProcess = args.includes('--no-new-process');
if (!corpus && !(pageCount > 0)) throw new Error('--pages must be a positive number');
if (!(Number.isInteger(versions) && versions > 0)) throw new Error('--versions must be a positive whole number');

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const META = { title: 'Bench docs', lang: 'zh-CN', url: 'https://docs.example.com' };

/** Every source transformed as createBuildSteps does it: in a worker thread that keeps a transform cache. */
async function transformAll(fetched: FetchedSource[], runner: TransformRunner): Promise<Map<string, Page[]>> {
  const results = await runner.transformAll(fetched);
  return new Map(fetched.map((f) => [f.source.id, results.get(f.source.id)!.pages]));
}

async function htmlSizes(root: string): Promise<{ mean: number; max: number; pages: number; total: number }> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  let total = 0;
  const html: number[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const size = (await stat(join(e.parentPath, e.name))).size;
    total += size;
    if (e.name === 'index.html') html.push(size);
  }
  return { mean: html.reduce((a, b) => a + b, 0) / html.length, max: Math.max(...html), pages: html.length, total };
}

interface RunResult {
  pages: number;
  transformMs: number;
  coldMs: number;
  coldPeak: number;
  size: { mean: number; max: number; total: number };
  unchangedMs: number;
  editMs: number;
  editTransformMs: number;
  editNewProcessMs: number;
  editPeak: number;
}

async function oneRun(run: number, base: string): Promise<RunResult> {
  let fetched = corpus ? corpusSources(resolve(corpus)) : syntheticSources(pageCount, versions);
  const sources = fetched.map((f) => f.source);
  const dataDir = join(base, `run-${run}`);
  const contentDir = join(dataDir, 'content');
  const cacheDir = join(dataDir, 'cache', 'astro');
  const memory = watchTreeMemory();
  let builder: SiteBuilder = createSiteBuilder();
  let n = 0;
  /** writeContent → build → deploy, as runBuild's build and deploy phases; resolves when the release is live. */
  const publish = async (
    byId: Map<string, Page[]>,
  ): Promise<{ ms: number; pages: number; mode: string; rendered: number; timings: Record<string, number> }> => {
    const started = performance.now();
    const id = `b${++n}`;
    const outDir = join(dataDir, 'work', `${id}-out`);
    await writeContent(contentDir, [...byId.values()].flat(), sources, META);
    const content = performance.now();
    const result = await builder.build({ contentDir, outDir, cacheDir, ...(log ? { onLine: (line: string) => console.log(`  ${line}`) } : {}) });
    const built = performance.now();
    await deployRelease({ dataDir, builtDir: outDir, id });
    const timings = { content: content - started, ...result.timings, builder: built - content, deploy: performance.now() - built };
    return { ms: performance.now() - started, pages: result.pages, mode: result.mode, rendered: result.rendered, timings };
  };
  const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    return [await fn(), performance.now() - t];
  };

  let transforms = createTransformRunner();
  memory.reset();
  const [pages, transformMs] = await timed(() => transformAll(fetched, transforms));
  const cold = await publish(pages);
  const coldPeak = memory.peak();
  const byProcess = (): string => [...memory.parts()].map(([role, bytes]) => `${role} ${mb(bytes)}`).join(', ');
  const coldParts = byProcess();
  const size = await htmlSizes(join(dataDir, 'current'));
  console.log(
    `run ${run}: cold ${s(cold.ms)} for ${cold.pages} pages (${(cold.ms / cold.pages).toFixed(1)} ms/page) + transform ${s(transformMs)}; peak RSS ${mb(coldPeak)}; HTML ${kb(size.mean)} mean, ${kb(size.max)} max; release ${mb(size.total)}`,
  );
  const steps = (timings: Record<string, number>): string =>
    Object.entries(timings)
      .map(([step, ms]) => `${step} ${s(ms)}`)
      .join(', ');
  console.log(`run ${run}: cold steps ${steps(cold.timings)}; peak RSS by process ${coldParts}`);

  const again = performance.now();
  const unchanged = await publish(await transformAll(fetched, transforms));
  const unchangedMs = performance.now() - again;
  console.log(`run ${run}: unchanged ${s(unchangedMs)} (build and deploy ${s(unchanged.ms)}; ${unchanged.mode}, ${unchanged.rendered} rendered)`);

  // Edit one page of the largest source (with versions: of an old version, as a push to its branch),
  // then another, then a third in a new builder process.
  const target = [...fetched].sort((a, b) => b.files.length - a.files.length).find((f) => versions === 1 || f.source.version?.latest === false)!;
  const edit = async (k: number): Promise<{ ms: number; transformMs: number; mode: string; rendered: number; timings: Record<string, number> }> => {
    const file = target.files[Math.min(k, target.files.length - 1)]!;
    const marker = `bench-edit-${run}-${k}`;
    fetched = fetched.map((f) =>
      f === target || f.source.id === target.source.id ? { ...f, files: f.files.map((x) => (x.path === file.path ? editedFile(x, marker) : x)) } : f,
    );
    const started = performance.now();
    const [byId, transformMs] = await timed(() => transformAll(fetched, transforms));
    const result = await publish(byId);
    const ms = performance.now() - started;
    const page = byId.get(target.source.id)!.find((p) => p.file === file.path);
    if (!page) throw new Error(`edited file ${file.path} produced no page`);
    const live = await readFile(join(dataDir, 'current', page.slug, 'index.html'), 'utf8');
    if (!live.includes(marker)) throw new Error(`the live page /${page.slug}/ does not show the edit`);
    return { ms, transformMs, mode: result.mode, rendered: result.rendered, timings: result.timings };
  };
  memory.reset();
  const edits = [await edit(1), await edit(2)];
  const editPeak = memory.peak();
  const warm = edits[1]!;
  console.log(`run ${run}: edit steps ${steps(warm.timings)}; peak RSS by process ${byProcess()}`);
  console.log(
    `run ${run}: edit of ${target.source.id} → live ${edits.map((e) => s(e.ms)).join(', ')} (transform ${edits.map((e) => s(e.transformMs)).join(', ')}); ${warm.mode}, ${warm.rendered} page(s) rendered; peak RSS ${mb(editPeak)}`,
  );
  await builder.close();
  await transforms.close();
  let editNewProcessMs = Number.NaN;
  if (!skipNewProcess) {
    builder = createSiteBuilder();
    transforms = createTransformRunner();
    const editNew = await edit(3);
    await transforms.close();
    console.log(`run ${run}: edit → live in a new builder process ${s(editNew.ms)} (${editNew.mode}, ${editNew.rendered} rendered)`);
    await builder.close();
    editNewProcessMs = editNew.ms;
  }
  memory.stop();
  return {
    pages: cold.pages,
    transformMs,
    coldMs: cold.ms,
    coldPeak,
    size,
    unchangedMs,
    editMs: warm.ms,
    editTransformMs: warm.transformMs,
    editNewProcessMs,
    editPeak,
  };
}

const base = option('dir') ? resolve(option('dir')!) : await mkdtemp(join(tmpdir(), 'bench-build-'));
const what = corpus ? `corpus ${resolve(corpus)}` : `${pageCount} synthetic pages${versions > 1 ? ` in ${versions} versions` : ''}`;
console.log(`bench:build ${what}, ${runs} run(s), in ${base}`);
const results: RunResult[] = [];
try {
  for (let run = 1; run <= runs; run++) results.push(await oneRun(run, base));
} finally {
  if (!keep) await rm(base, { recursive: true, force: true });
}
const m = (pick: (r: RunResult) => number): number => median(results.map(pick));
const pages = results[0]!.pages;
console.log(`\nMedians of ${results.length} run(s), ${pages} pages:`);
console.log(`  cold build        ${(m((r) => r.coldMs) / pages).toFixed(1)} ms/page (${s(m((r) => r.coldMs))}; transform ${s(m((r) => r.transformMs))} more)`);
console.log(`  HTML per page     ${kb(m((r) => r.size.mean))} mean, ${kb(m((r) => r.size.max))} max; release ${mb(m((r) => r.size.total))}`);
console.log(`  peak RSS (tree)   ${mb(m((r) => r.coldPeak))} cold, ${mb(m((r) => r.editPeak))} during edits`);
console.log(`  unchanged         ${s(m((r) => r.unchangedMs))}`);
console.log(`  one-page edit     ${s(m((r) => r.editMs))} to live (transform ${s(m((r) => r.editTransformMs))})`);
if (!skipNewProcess) console.log(`  edit, new process ${s(m((r) => r.editNewProcessMs))}`);
