/**
 * Pieces the live build (runBuild) and a pull request's preview build (runPreviewBuild) share: the
 * phase timer, the transform of every good source, the landing page's per-source status, and the
 * diagnostics of pages the site's renderer refused.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRedirectState, type ReleaseRedirects } from '../redirects/redirectStore.ts';
import { type RedirectState, updateRedirects } from '../redirects/updateRedirects.ts';
import type { BuildRecord, FetchedSource, Page, Phase } from '../types.ts';
import type { SourceState } from './fetchWithFallback.ts';
import { type BuildSteps, PhaseError, type RunBuildContext } from './runBuild.ts';

/** Runs one phase, timing it into `build.phases` and turning any error into a PhaseError naming it. */
export function phaseTimer(build: BuildRecord, ctx: Pick<RunBuildContext, 'log' | 'progress'>) {
  const log = ctx.log ?? (() => {});
  return async <T>(name: Phase, fn: () => Promise<T>): Promise<T> => {
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
}

/** Transform every good source (one site index over them all); fills `build.sources`, returns every page. */
export async function transformStates(build: BuildRecord, states: readonly SourceState[], steps: BuildSteps, signal?: AbortSignal): Promise<Page[]> {
  const out: Page[] = [];
  const good = states.filter((s) => s.outcome.state !== 'failed').map((s) => s.fetched);
  const all = steps.transformAll ? await steps.transformAll(good, signal ? { signal } : {}) : undefined;
  const siteIndex = all ? undefined : steps.indexSite?.(good);
  for (const { fetched, outcome } of states) {
    if (outcome.state === 'failed') {
      build.sources.push({ ...outcome, pages: 0, diagnostics: [] });
      continue;
    }
    const { pages: p, diagnostics } = all?.get(fetched.source.id) ?? steps.transformSource(fetched, siteIndex ? { siteIndex } : {});
    for (const skip of fetched.skipped ?? [])
      diagnostics.push({ source: fetched.source.id, file: skip.path, kind: 'other', message: `not published: ${skip.reason}` });
    build.sources.push({ ...outcome, pages: p.length, diagnostics });
    out.push(...p);
  }
  return out;
}

/** What the landing page says of each source: when its docs last changed, and whether it is stale. */
export function sourceStatus(
  states: ReadonlyArray<{ fetched: FetchedSource; outcome: { id: string; state: string; staleSince?: string; error?: string } }>,
): Record<string, { lastUpdated?: string; staleSince?: string; error?: string }> {
  const out: Record<string, { lastUpdated?: string; staleSince?: string; error?: string }> = {};
  for (const { fetched, outcome } of states) {
    const dates = fetched.files
      .map((f) => f.lastCommit?.date)
      .filter((d): d is string => typeof d === 'string')
      .sort();
    const status: { lastUpdated?: string; staleSince?: string; error?: string } = {};
    if (dates.length) status.lastUpdated = dates.at(-1)!;
    if (outcome.state === 'stale' && outcome.staleSince) {
      status.staleSince = outcome.staleSince;
      if (outcome.error) status.error = outcome.error;
    }
    out[outcome.id] = status;
  }
  return out;
}

/**
 * Write the content and build the site into `outDir` with the warm site builder (`commit: false`: a
 * preview, which leaves the live build's state as it is). Builds run one at a time, so anything else
 * under DATA_DIR/work/ was left by an interrupted build and goes first. The content folder is the same
 * every build (DATA_DIR/cache/content): writeContent rewrites only the pages that changed, not 10,000
 * files each time (nothing keeps or links those files; a crash half-way makes the next build write all).
 */
export async function buildInto(
  build: BuildRecord,
  states: readonly SourceState[],
  pages: readonly Page[],
  ctx: Pick<RunBuildContext, 'dataDir' | 'sources' | 'steps' | 'log' | 'signal'> & { workDir: string; outDir: string; commit?: false },
): Promise<{ rendered?: number }> {
  const { dataDir, steps, workDir } = ctx;
  const log = ctx.log ?? (() => {});
  for (const entry of await readdir(join(dataDir, 'work')).catch(() => [] as string[])) {
    await rm(join(dataDir, 'work', entry), { recursive: true, force: true });
  }
  await mkdir(workDir, { recursive: true });
  const contentDir = join(dataDir, 'cache', 'content');
  await steps.writeContent(contentDir, [...pages], ctx.sources, { sourceStatus: sourceStatus(states) });
  const site = await steps.buildSite({
    contentDir,
    outDir: ctx.outDir,
    cacheDir: join(dataDir, 'cache', 'astro'),
    onLine: (line) => log(`[${build.id}] astro: ${line}`),
    ...(ctx.commit === false ? { commit: false } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  noteRenderProblems(build, pages, site?.problems, log);
  return site?.rendered !== undefined ? { rendered: site.rendered } : {};
}

/**
 * The redirects table after this build: the carried one (DATA_DIR, else the live release's) updated
 * with the pages that moved; its diagnostics go to their sources. Nothing is saved here.
 */
export async function movedPages(
  build: BuildRecord,
  states: readonly SourceState[],
  pages: readonly Page[],
  ctx: Pick<RunBuildContext, 'dataDir' | 'steps' | 'log'>,
): Promise<RedirectState> {
  const absent = new Set(build.sources.filter((s) => s.state === 'failed').map((s) => s.id));
  const renames = states.flatMap(({ fetched }) => Object.entries(fetched.renames ?? {}).map(([to, from]) => ({ source: fetched.source.id, from, to })));
  const carried = (await loadRedirectState(ctx.dataDir)) ?? seedRedirects(await ctx.steps.liveRedirects?.());
  const redirects = updateRedirects(carried, [...pages], { absent, renames });
  for (const d of redirects.diagnostics) build.sources.find((s) => s.id === d.source)?.diagnostics.push(d);
  for (const { from, to } of redirects.moved) ctx.log?.(`[${build.id}] moved: ${from} → ${to}`);
  return redirects.state;
}

/** A table seeded from a release's redirects (no page sketches: moves are recognised from the next build on). */
const seedRedirects = (live: ReleaseRedirects | undefined) => (live ? { ...live, pages: {} } : undefined);

/** A page whose content the renderer refused is shown as text: its source's diagnostic, like a broken link. */
function noteRenderProblems(
  build: BuildRecord,
  pages: readonly Page[],
  problems: ReadonlyArray<{ slug: string; message: string }> | undefined,
  log: (line: string) => void,
): void {
  const bySlug = new Map(pages.map((p) => [p.slug, p]));
  for (const { slug, message } of problems ?? []) {
    const page = bySlug.get(slug);
    const outcome = page && build.sources.find((s) => s.id === page.source);
    if (page && outcome) outcome.diagnostics.push({ source: page.source, file: page.file, kind: 'render', message });
    else log(`[${build.id}] /${slug}: ${message}`);
  }
}
