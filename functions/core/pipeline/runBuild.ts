import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildRecord, Diagnostic, FetchedSource, Page, Phase, SourceConfig, SourceOutcome } from '../types.ts';
import { diffPages, loadPageIndex, savePageIndex } from './pageIndex.ts';
import { loadSnapshot, saveSnapshot } from './snapshots.ts';

/** The pipeline's steps, injected so each can be tested alone and swapped on Function Compute. */
export interface BuildSteps {
  fetchSources: (sources: SourceConfig[], options: { full: boolean; signal?: AbortSignal }) => Promise<{ fetched: FetchedSource[]; failures: Array<{ source: string; error: string }> }>;
  transformSource: (fetched: FetchedSource) => { pages: Page[]; diagnostics: Diagnostic[] };
  writeContent: (dir: string, pages: Page[], sources: SourceConfig[], meta?: Record<string, unknown>) => Promise<unknown>;
  buildSite: (options: { contentDir: string; outDir: string; cacheDir: string; onLine?: (line: string) => void; signal?: AbortSignal }) => Promise<unknown>;
  deployRelease: (options: { dataDir: string; builtDir: string; id: string }) => Promise<{ release: string }>;
}

export interface RunBuildContext {
  sources: SourceConfig[];
  dataDir: string;
  steps: BuildSteps;
  log?: (line: string) => void;
  /** Saves progress (phase timings) so GET /builds shows a running build's phases. */
  progress?: (build: BuildRecord) => void;
  signal?: AbortSignal;
}

/** A failure in one phase: the worker records the phase with the message. */
export class PhaseError extends Error {
  readonly phase: Phase;
  constructor(phase: Phase, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PhaseError';
    this.phase = phase;
  }
}

/** Which sources this build must fetch fresh; the rest come from their last snapshot. */
function sourcesToFetch(build: BuildRecord, sources: SourceConfig[]): SourceConfig[] {
  const t = build.trigger;
  if (t.kind === 'manual') return t.full || !t.sources?.length ? sources : sources.filter((s) => t.sources!.includes(s.id));
  return sources.filter((s) => s.repo && `${s.repo.owner}/${s.repo.name}`.toLowerCase() === t.repo.toLowerCase());
}

/**
 * The orchestrator: fetch → transform → build → deploy, timing each phase into `build.phases`.
 * It is the only place that knows the order. Throws PhaseError naming the phase that failed.
 */
export async function runBuild(build: BuildRecord, ctx: RunBuildContext): Promise<BuildRecord> {
  const log = ctx.log ?? (() => {});
  const { steps, dataDir, sources } = ctx;
  const phase = async <T>(name: Phase, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    log(`[${build.id}] ${name}…`);
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PhaseError) throw err;
      throw new PhaseError(name, (err as Error).message ?? String(err), { cause: err });
    } finally {
      build.phases[name] = Math.round(performance.now() - started);
      ctx.progress?.(build);
    }
  };
  build.phases = {};
  build.sources = [];
  const full = build.trigger.kind === 'manual' && build.trigger.full;

  const snapshots = await phase('fetch', async () => {
    const wanted = new Set(sourcesToFetch(build, sources).map((s) => s.id));
    const all: FetchedSource[] = [];
    const toFetch: SourceConfig[] = [];
    for (const s of sources) {
      const snap = wanted.has(s.id) || full ? undefined : await loadSnapshot(dataDir, s);
      if (snap) all.push(snap);
      else toFetch.push(s);
    }
    const result = await steps.fetchSources(toFetch, { full, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    if (result.failures.length > 0) {
      const list = result.failures.map((f) => `${f.source}: ${f.error}`).join('; ');
      throw new PhaseError('fetch', `could not fetch ${result.failures.length} source(s): ${list}`);
    }
    for (const f of result.fetched) await saveSnapshot(dataDir, f);
    all.push(...result.fetched);
    log(`[${build.id}] fetched ${result.fetched.length} source(s), reused ${all.length - result.fetched.length} snapshot(s)`);
    return sources.map((s) => all.find((f) => f.source.id === s.id)!);
  });

  const pages = await phase('transform', async () => {
    const out: Page[] = [];
    for (const fetched of snapshots) {
      const { pages: p, diagnostics } = steps.transformSource(fetched);
      for (const skip of fetched.skipped ?? []) diagnostics.push({ source: fetched.source.id, file: skip.path, kind: 'other', message: `not published: ${skip.reason}` });
      const outcome: SourceOutcome = { id: fetched.source.id, state: 'built', sha: fetched.sha, pages: p.length, diagnostics };
      build.sources.push(outcome);
      out.push(...p);
    }
    return out;
  });

  const workDir = join(dataDir, 'work', build.id);
  const outDir = join(dataDir, 'work', `${build.id}-out`);
  await phase('build', async () => {
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    await steps.writeContent(join(workDir, 'content'), pages, sources, { buildId: build.id });
    await steps.buildSite({
      contentDir: join(workDir, 'content'),
      outDir,
      cacheDir: join(dataDir, 'cache', 'astro'),
      onLine: (line) => log(`[${build.id}] astro: ${line}`),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  });

  await phase('deploy', async () => {
    const previous = await loadPageIndex(dataDir);
    const { release } = await steps.deployRelease({ dataDir, builtDir: outDir, id: build.id });
    build.release = release;
    build.pages = diffPages(previous, pages);
    await savePageIndex(dataDir, pages);
    await rm(workDir, { recursive: true, force: true });
  });
  return build;
}
