import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildRecord, Diagnostic, FetchedSource, Page, Phase, SourceConfig } from '../types.ts';
import type { SiteMeta } from '../build/siteManifest.ts';
import type { SiteIndex } from '../transform/siteIndex.ts';
import { buildInto, movedPages, phaseTimer, transformStates } from './buildPhases.ts';
import { type FetchSourcesStep, fetchWithFallback } from './fetchWithFallback.ts';
import type { FetchPullRequestStep } from './runPreviewBuild.ts';
import { diffPages, loadPageIndex, savePageIndex } from './pageIndex.ts';
import { findInboundBroken, loadInboundLinks, saveInboundLinks } from './inboundBroken.ts';
import { planFetch } from './planFetch.ts';
import { type ReleaseRedirects, saveRedirectState, writeRedirects } from '../redirects/redirectStore.ts';
import type { ListRefs } from '../fetch/listMatchingRefs.ts';
import { resolveVersions } from '../versions/resolveVersions.ts';

/** The pipeline's steps, injected so each can be tested alone and swapped on Function Compute. */
export interface BuildSteps {
  fetchSources: FetchSourcesStep;
  /** A pull request's sources for its preview build (runPreviewBuild): the live copy plus the PR's changes. */
  fetchPullRequest?: FetchPullRequestStep;
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
    /** `false`: a preview build, against the last build's state without committing to it (renderSite). */
    commit?: boolean;
    signal?: AbortSignal;
    // biome-ignore lint/suspicious/noConfusingVoidType: site builders that report nothing return Promise<void>.
  }) => Promise<{ problems?: Array<{ slug: string; message: string }>; rendered?: number } | void>;
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

/**
 * The orchestrator: fetch → transform → build → deploy, timing each phase into `build.phases`.
 * It is the only place that knows the order. Throws PhaseError naming the phase that failed.
 */
export async function runBuild(build: BuildRecord, ctx: RunBuildContext): Promise<BuildRecord> {
  const log = ctx.log ?? (() => {});
  const { steps, dataDir } = ctx;
  const phase = phaseTimer(build, ctx);
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

  const pages = await phase('transform', () => transformStates(build, states, steps, ctx.signal));

  const workDir = join(dataDir, 'work', build.id);
  const outDir = join(dataDir, 'work', `${build.id}-out`);
  await phase('build', () => buildInto(build, states, pages, { ...ctx, sources, workDir, outDir }));

  await phase('deploy', async () => {
    const previous = await loadPageIndex(dataDir);
    // Pages that moved keep their old URLs (redirects, carried build to build and part of the release).
    const redirects = await movedPages(build, states, pages, ctx);
    const inbound = findInboundBroken(await loadInboundLinks(dataDir), build.sources);
    if (inbound.length) build.inboundBroken = inbound;
    await writeRedirects(outDir, redirects);
    // A retried or resumed attempt may have deployed (even switched `current`) before it died: never reuse that name.
    const id = build.attempts > 1 ? `${build.id}.${build.attempts}` : build.id;
    const { release } = await steps.deployRelease({ dataDir, builtDir: outDir, id });
    build.release = release;
    build.pages = diffPages(previous, pages);
    await savePageIndex(dataDir, pages);
    await saveRedirectState(dataDir, redirects);
    await saveInboundLinks(dataDir, build.sources);
    await rm(workDir, { recursive: true, force: true });
  });
  return build;
}
