import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { astroBuild, type PageWatch, type WarmSite } from './astroBuild.ts';
import { commitState, forgetOthers, linkFiles, linkTree, loadState } from './buildState.ts';
import { bundleKey } from './bundleKey.ts';
import { pruneRenderDir, writePageInputs, writePageList } from './pageInputs.ts';
import { pageSpecs, type PageSpec } from './pageSpecs.ts';
import { inShardOrder, renderPlan, type RenderPlan } from './renderPlan.ts';
import { assertRendererWorks } from './renderBodySafely.ts';
import { keepPageFiles } from './keepPageFiles.ts';
import { guardPages, openRenderGuard, type RenderGuard } from './renderGuard.ts';
import { pageRecovery, withRecovery, type Recover } from './renderPageSafely.ts';
import { createSearchIndexer, shardDir, type SearchIndexer } from './searchIndex.ts';
import type { SiteManifest } from './siteManifest.ts';
import { writeMachineDocs } from './writeMachineDocs.ts';
import { writeSitemap } from './writeSitemap.ts';

const SITEMAP = /^sitemap-(index|\d+)\.xml$/;

export interface RenderSiteRequest {
  /** Folder written by writeContent (markdown + site.json). */
  contentDir: string;
  /** Where the built site goes (replaced). */
  outDir: string;
  /** Writable folder kept between builds. */
  cacheDir: string;
  /** The Astro project (site/). */
  siteDir: string;
  /** Site manifest; default `<contentDir>/site.json`. */
  siteJson?: string;
  /**
   * `false`: a preview build. It renders only the pages whose keys differ from the last committed
   * build's, takes the rest from its mirror, and leaves that build's state, mirror and page files as
   * they were (the next build still compares with the last committed one). Default true.
   */
  commit?: boolean;
}

export interface SiteBuildResult {
  /** HTML pages in the built site, the not-found page included. */
  pages: number;
  durationMs: number;
  /** `astro`: an `astro build` ran; `warm`: pages were rendered by the bundle an earlier build loaded. */
  mode: 'astro' | 'warm';
  /** Pages rendered (the others were taken from the previous build). */
  rendered: number;
  /** Markdown bodies rendered (the others were cached). */
  markdown: number;
  search: { indexed: number; reused: number };
  /** Milliseconds per step. */
  timings: Record<string, number>;
  /** Pages shown as text because their content could not be rendered, and why: their diagnostics. */
  problems: Array<{ slug: string; message: string }>;
}

/** What a process keeps between builds: the warm site of its `astro build`, if it ran one. */
export interface WarmState {
  site?: WarmSite & { bundleKey: string };
  astroRan: boolean;
}

/** Thrown when a build needs `astro build` in a process that already ran one: start a new process. */
export class NeedsFreshProcess extends Error {
  override name = 'NeedsFreshProcess';
}

interface Build {
  request: RenderSiteRequest;
  specs: PageSpec[];
  plan: RenderPlan;
  state: Awaited<ReturnType<typeof loadState>>;
  renderDir: string;
  search: SearchIndexer;
  lap: (name: string) => void;
  timings: Record<string, number>;
  /** Pages rendered by this build that are shown as text: slug → why. */
  problems: Map<string, string>;
  recover: Recover;
  guard: RenderGuard;
  /** Around each page render: notes it in the guard, or shows a page that took a builder down as text. */
  watch: PageWatch;
}

/**
 * Render the planned pages with the site already loaded; every other file is linked from the mirror.
 * If rendering itself fails, the loaded site is dropped (`warm.site`): the next build starts afresh.
 */
async function renderWarm(b: Build, site: WarmSite, warm: WarmState): Promise<number> {
  const { request, plan, state } = b;
  const markdown = await writePageInputs({
    specs: plan.render,
    bodyKeys: plan.bodyKeys,
    contentDir: request.contentDir,
    renderDir: b.renderDir,
    renderer: site.renderer,
    docsDir: site.docsDir,
    problems: b.problems,
    guard: b.guard,
  });
  await assertRendererWorks(site.renderer, markdown, b.problems.size);
  b.lap('markdown');
  const fresh = new Set(plan.render.map((s) => s.outFile));
  linkTree(state!.mirrorDir, request.outDir, (path) => path === 'pagefind' || fresh.has(path) || SITEMAP.test(path));
  b.lap('link');
  for (const spec of plan.render) {
    await b.watch.before(spec.outFile);
    const html = await withRecovery(spec.outFile, () => site.render(spec.outFile), b.recover)
      .finally(() => b.watch.after(spec.outFile))
      .catch((err: unknown) => {
        warm.site = undefined;
        throw err;
      });
    await mkdir(dirname(join(request.outDir, spec.outFile)), { recursive: true });
    await writeFile(join(request.outDir, spec.outFile), html);
    b.search.add(spec.outFile, html.toString('utf8'));
  }
  b.lap('render');
  return markdown;
}

/** `astro build` rendering the planned pages; the other pages are linked from the mirror. */
async function renderWithAstro(b: Build, siteJson: string): Promise<{ site: WarmSite; markdown: number }> {
  const { request, plan, state } = b;
  Object.assign(process.env, {
    DOCS_SYNC_SITE_JSON: siteJson,
    DOCS_SYNC_RENDER_DIR: b.renderDir,
    DOCS_SYNC_CACHE_DIR: request.cacheDir,
    DOCS_SYNC_OUT_DIR: request.outDir,
  });
  let markdown = 0;
  const site = await astroBuild({
    siteDir: request.siteDir,
    render: (outFile) => !plan.reuse.has(outFile),
    onPage: (outFile, html) => b.search.add(outFile, html.toString('utf8')),
    recover: b.recover,
    around: b.watch,
    prepare: async (renderer, docsDir) => {
      const begun = performance.now();
      markdown = await writePageInputs({
        specs: plan.render,
        bodyKeys: plan.bodyKeys,
        contentDir: request.contentDir,
        renderDir: b.renderDir,
        renderer,
        docsDir,
        problems: b.problems,
        guard: b.guard,
      });
      await assertRendererWorks(renderer, markdown, b.problems.size);
      // Astro renders the pages in this order: shard by shard, as the search indexer takes them.
      await writePageList(b.renderDir, inShardOrder(b.specs, plan.shards));
      b.timings.markdown = Math.round(performance.now() - begun);
    },
  });
  b.lap('astro');
  if (state) linkFiles(state.mirrorDir, request.outDir, [...plan.reuse]);
  b.lap('link');
  const missing = b.specs.find((spec) => !existsSync(join(request.outDir, spec.outFile)));
  if (missing) throw new Error(`astro build did not write ${missing.outFile} for the page /${missing.slug}; the site's routes and the builder disagree.`);
  return { site, markdown };
}

/**
 * Build the site into `outDir`, re-rendering only pages whose inputs changed since the last build
 * (see renderPlan) and re-indexing only search shards with a changed page; everything else is
 * hard-linked from the mirror of the last build. When this process holds a warm site with the same
 * bundle and the same set of pages, no `astro build` runs at all.
 */
export async function renderSite(request: RenderSiteRequest, warm: WarmState): Promise<SiteBuildResult> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  let mark = started;
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };
  const siteJson = request.siteJson ?? join(request.contentDir, 'site.json');
  const manifest = JSON.parse(
    await readFile(siteJson, 'utf8').catch((err: Error) => {
      throw new Error(`Cannot read the site manifest ${siteJson}: ${err.message}. writeContent() writes it.`);
    }),
  ) as SiteManifest;
  const specs = pageSpecs(manifest);
  lap('specs');
  const bundle = await bundleKey(request.siteDir, manifest.config);
  const stateDir = join(request.cacheDir, 'builder');
  const state = await loadState(stateDir);
  await forgetOthers(stateDir, state?.mirror);
  const plan = renderPlan(specs, bundle, state);
  // A page is reused only if the mirror really has it.
  for (const file of [...plan.reuse]) {
    if (!state || !existsSync(join(state.mirrorDir, file))) {
      plan.reuse.delete(file);
      const spec = specs.find((s) => s.outFile === file);
      if (spec) plan.render.push(spec);
      else plan.render404 = true;
    }
  }
  await rm(request.outDir, { recursive: true, force: true });
  await mkdir(request.outDir, { recursive: true });
  const search = createSearchIndexer(request.outDir, plan.shards, state?.mirrorDir);
  const renderDir = join(stateDir, 'render');
  const problems = new Map<string, string>();
  const recover = pageRecovery({ specs, bodyKeys: plan.bodyKeys, contentDir: request.contentDir, renderDir, problems });
  const guard = await openRenderGuard(renderDir);
  const watch = guardPages(guard, specs, plan.keys, problems, recover);
  const b: Build = { request, specs, plan, state, renderDir, search, lap, timings, problems, recover, guard, watch };
  lap('plan');

  const site = warm.site;
  const canWarm =
    site !== undefined && site.bundleKey === bundle && state !== undefined && plan.samePages && !plan.render404 && specs.every((s) => site.knows(s.outFile));
  const toRender = plan.render.length + (plan.render404 ? 1 : 0);
  const toIndex = plan.shards.filter((s) => s.changed).length;
  console.log(
    `[site] ${specs.length + 1} pages: ${toRender} to render, ${specs.length + 1 - toRender} unchanged; search: ${toIndex} of ${plan.shards.length} indexes to write; ${canWarm ? 'rendering with the site already loaded' : 'running astro build'}`,
  );
  if (!canWarm && warm.astroRan) {
    await search.discard();
    throw new NeedsFreshProcess('This process already ran astro build; the next one needs a new process.');
  }
  let markdown: number;
  let machineDocs: string[] = [];
  let indexed: { indexed: number; reused: number };
  const commit = request.commit !== false;
  // A preview puts back the page files it wrote: they are the committed build's.
  const restore = commit
    ? undefined
    : await keepPageFiles(
        renderDir,
        plan.render.map((s) => s.slug),
      );
  try {
    if (canWarm) {
      markdown = await renderWarm(b, site, warm);
    } else {
      warm.astroRan = true;
      const built = await renderWithAstro(b, siteJson);
      warm.site = { ...built.site, bundleKey: bundle };
      markdown = built.markdown;
    }
    writeSitemap(request.outDir, manifest.config.url, specs);
    machineDocs = writeMachineDocs(request.outDir, request.contentDir, manifest, specs);
    lap('machine docs');
    indexed = await search.finish();
    lap('search');
  } catch (err) {
    await search.discard();
    throw err;
  } finally {
    await restore?.();
  }
  const update = canWarm
    ? {
        mirror: state!.mirror,
        files: [...plan.render.map((s) => s.outFile), ...machineDocs],
        folders: plan.shards.filter((s) => s.changed).map((s) => (s.name === '' ? { path: shardDir(''), keep: 'shard' } : { path: shardDir(s.name) })),
      }
    : undefined;
  // A page taken from the mirror keeps the problem it was rendered with.
  const shownAsText: Record<string, string> = {};
  for (const spec of specs) {
    const message = plan.reuse.has(spec.outFile) ? state?.problems?.[spec.outFile] : problems.get(spec.slug);
    if (message !== undefined) shownAsText[spec.outFile] = message;
  }
  if (commit) {
    await commitState(
      stateDir,
      request.outDir,
      { bundleKey: bundle, pages: plan.keys, shards: Object.fromEntries(plan.shards.map((s) => [s.name, s.key])), problems: shownAsText },
      update,
    );
    await pruneRenderDir(b.renderDir, specs);
    await guard.prune(specs.map((s) => s.slug));
  }
  lap('commit');
  const durationMs = Math.round(performance.now() - started);
  console.log(
    `[site] built in ${(durationMs / 1000).toFixed(1)} s: ${toRender} pages rendered (${markdown} markdown bodies), ${indexed.indexed} search indexes written, ${indexed.reused} kept`,
  );
  const shown = specs.filter((s) => shownAsText[s.outFile] !== undefined).map((s) => ({ slug: s.slug, message: shownAsText[s.outFile]! }));
  if (shown.length)
    console.log(
      `[site] ${shown.length} page(s) shown as text: ${shown
        .slice(0, 5)
        .map((s) => `/${s.slug}`)
        .join(', ')}${shown.length > 5 ? ', …' : ''}`,
    );
  return { pages: specs.length + 1, durationMs, mode: canWarm ? 'warm' : 'astro', rendered: toRender, markdown, search: indexed, timings, problems: shown };
}
