import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildRecord, Diagnostic, FetchedSource, Page, Phase, SourceConfig } from '../types.ts';
import type { SiteMeta } from '../build/siteManifest.ts';
import type { SiteIndex } from '../transform/siteIndex.ts';
import { type FetchSourcesStep, fetchWithFallback } from './fetchWithFallback.ts';
import { diffPages, loadPageIndex, savePageIndex } from './pageIndex.ts';
import { findInboundBroken, loadInboundLinks, saveInboundLinks } from './inboundBroken.ts';
import { planFetch } from './planFetch.ts';
import { loadRedirectState, type ReleaseRedirects, saveRedirectState, writeRedirects } from '../redirects/redirectStore.ts';
import { updateRedirects } from '../redirects/updateRedirects.ts';
import type { ListRefs } from '../fetch/listMatchingRefs.ts';
import { resolveVersions } from '../versions/resolveVersions.ts';

/** The pipeline's steps, injected so each can be tested alone and swapped on Function Compute. */
export interface BuildSteps {
  fetchSources: FetchSourcesStep;
  transformSource: (fetched: FetchedSource, options?: { siteIndex?: SiteIndex }) => { pages: Page[]; diagnostics: Diagnostic[] };
  /** Index every source's pages once per build, so links across sources become internal. */
  indexSite?: (all: FetchedSource[]) => SiteIndex;
  /**
   * Transform every good source at once (one site index over them all), off the main thread; used
   * instead of indexSite + transformSource when given.
   */
  transformAll?: (all: FetchedSource[], options: { signal?: AbortSignal }) => Promise<Map<string, { pages: Page[]; diagnostics: Diagnostic[] }>>;
  writeContent: (dir: string, pages: Page[], sources: SourceConfig[], meta?: SiteMeta) => Promise<unknown>;
  /** Builds the site; `problems` are the pages shown as text because the renderer refused their content. */
  buildSite: (options: {
    contentDir: string;
    outDir: string;
    cacheDir: string;
    onLine?: (line: string) => void;
    signal?: AbortSignal;
    // biome-ignore lint/suspicious/noConfusingVoidType: site builders that report nothing return Promise<void>.
  }) => Promise<{ problems?: Array<{ slug: string; message: string }> } | void>;
  deployRelease: (options: { dataDir: string; builtDir: string; id: string }) => Promise<{ release: string }>;
  /** The live release's redirects, seeding the table when DATA_DIR has none (FC's builder on a fresh instance, OSS target). */
  liveRedirects?: () => Promise<ReleaseRedirects | undefined>;
  /** Lists a repository's branches or tags by prefix: the versions of sources with `versions:` (resolveVersions). */
  listRefs?: ListRefs;
  /** Release what the steps hold between builds (the warm site builder's process). */
  close?: () => Promise<void>;
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

/** What the landing page says of each source: when its docs last changed, and whether it is stale. */
function sourceStatus(
  states: Array<{ fetched: FetchedSource; outcome: { id: string; state: string; staleSince?: string; error?: string } }>,
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
 * The orchestrator: fetch → transform → build → deploy, timing each phase into `build.phases`.
 * It is the only place that knows the order. Throws PhaseError naming the phase that failed.
 */
export async function runBuild(build: BuildRecord, ctx: RunBuildContext): Promise<BuildRecord> {
  const log = ctx.log ?? (() => {});
  const { steps, dataDir } = ctx;
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
  delete build.inboundBroken;
  let sources: SourceConfig[] = ctx.sources;
  const states = await phase('fetch', async () => {
    // Each versioned source becomes one source per published version (its list kept in DATA_DIR).
    sources = await resolveVersions(build, ctx.sources, {
      dataDir,
      ...(steps.listRefs ? { listRefs: steps.listRefs } : {}),
      log: (l) => log(`[${build.id}] ${l}`),
    });
    const plan = planFetch(build, sources);
    const result = await fetchWithFallback(sources, plan, {
      dataDir,
      fetchSources: steps.fetchSources,
      log: (l) => log(`[${build.id}] ${l}`),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const good = [...result.values()].filter((s) => s.outcome.state !== 'failed');
    if (good.length === 0) {
      const errors = [...result.values()].map((s) => `${s.outcome.id}: ${s.outcome.error}`).join('; ');
      throw new PhaseError('fetch', `no source could be fetched and none has a good copy: ${errors}`);
    }
    const fresh = [...result.values()].filter((s) => s.outcome.fetched).length;
    log(`[${build.id}] fetched ${fresh} source(s), reused ${good.length - fresh}, stale ${good.filter((s) => s.outcome.state === 'stale').length}`);
    return sources.map((s) => result.get(s.id)!);
  });

  const pages = await phase('transform', async () => {
    const out: Page[] = [];
    const good = states.filter((s) => s.outcome.state !== 'failed').map((s) => s.fetched);
    const all = steps.transformAll ? await steps.transformAll(good, ctx.signal ? { signal: ctx.signal } : {}) : undefined;
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
  });

  const workDir = join(dataDir, 'work', build.id);
  const outDir = join(dataDir, 'work', `${build.id}-out`);
  await phase('build', async () => {
    // Builds run one at a time: anything else under work/ was left by an interrupted build.
    for (const entry of await readdir(join(dataDir, 'work')).catch(() => [] as string[])) {
      await rm(join(dataDir, 'work', entry), { recursive: true, force: true });
    }
    await mkdir(workDir, { recursive: true });
    await steps.writeContent(join(workDir, 'content'), pages, sources, { sourceStatus: sourceStatus(states) });
    const site = await steps.buildSite({
      contentDir: join(workDir, 'content'),
      outDir,
      cacheDir: join(dataDir, 'cache', 'astro'),
      onLine: (line) => log(`[${build.id}] astro: ${line}`),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    // A page whose content the renderer refused is shown as text: its source's diagnostic, like a broken link.
    const bySlug = new Map(pages.map((p) => [p.slug, p]));
    for (const { slug, message } of site?.problems ?? []) {
      const page = bySlug.get(slug);
      const outcome = page && build.sources.find((s) => s.id === page.source);
      if (page && outcome) outcome.diagnostics.push({ source: page.source, file: page.file, kind: 'render', message });
      else log(`[${build.id}] /${slug}: ${message}`);
    }
  });

  await phase('deploy', async () => {
    const previous = await loadPageIndex(dataDir);
    // Pages that moved keep their old URLs (redirects, carried build to build and part of the release).
    const absent = new Set(build.sources.filter((s) => s.state === 'failed').map((s) => s.id));
    const renames = states.flatMap(({ fetched }) => Object.entries(fetched.renames ?? {}).map(([to, from]) => ({ source: fetched.source.id, from, to })));
    const carried = (await loadRedirectState(dataDir)) ?? seedRedirects(await steps.liveRedirects?.());
    const redirects = updateRedirects(carried, pages, { absent, renames });
    for (const d of redirects.diagnostics) build.sources.find((s) => s.id === d.source)?.diagnostics.push(d);
    for (const { from, to } of redirects.moved) log(`[${build.id}] moved: ${from} → ${to}`);
    const inbound = findInboundBroken(await loadInboundLinks(dataDir), build.sources);
    if (inbound.length) build.inboundBroken = inbound;
    await writeRedirects(outDir, redirects.state);
    // A retried or resumed attempt may have deployed (even switched `current`) before it died: never reuse that name.
    const id = build.attempts > 1 ? `${build.id}.${build.attempts}` : build.id;
    const { release } = await steps.deployRelease({ dataDir, builtDir: outDir, id });
    build.release = release;
    build.pages = diffPages(previous, pages);
    await savePageIndex(dataDir, pages);
    await saveRedirectState(dataDir, redirects.state);
    await saveInboundLinks(dataDir, build.sources);
    await rm(workDir, { recursive: true, force: true });
  });
  return build;
}

/** A table seeded from a release's redirects (no page sketches: moves are recognised from the next build on). */
const seedRedirects = (live: ReleaseRedirects | undefined) => (live ? { ...live, pages: {} } : undefined);
