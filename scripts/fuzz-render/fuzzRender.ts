/**
 * The render fuzzer's harness, run in a worker process (scripts/fuzz-render-worker.ts): one real `astro build` of a
 * one-page site (a process's only one; Astro keeps module state), then each case through the
 * production path a running server takes — the
 * transform, writeContent, writePageInputs (the
 * markdown renderer Astro gives it, through renderBodySafely) and the warm page render of
 * StarlightPage with its front matter (through withRecovery/pageRecovery). A case that throws out of
 * that path would fail a whole site: a crash (so is one that hangs or kills the process: the
 * supervisor, scripts/fuzz-render.ts, sees those). A case shown as text is counted by what refused it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { astroBuild, type WarmSite } from '../../functions/core/build/astroBuild.ts';
import { prepareWorkDir } from '../../functions/core/build/builderProcess.ts';
import { SITE_DIR } from '../../functions/core/build/createSiteBuilder.ts';
import { writePageInputs, writePageList } from '../../functions/core/build/pageInputs.ts';
import { pageSpecs } from '../../functions/core/build/pageSpecs.ts';
import { renderBodySafely } from '../../functions/core/build/renderBodySafely.ts';
import { pageRecovery, withRecovery } from '../../functions/core/build/renderPageSafely.ts';
import type { SiteManifest } from '../../functions/core/build/siteManifest.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';
import type { Page, SourceConfig } from '../../functions/core/types.ts';
import { renderCase, type CaseClass, type RenderCase } from './renderCases.ts';

export type Outcome = 'rendered' | 'body as text' | 'page as text' | 'crash';

export interface CaseResult {
  id: number;
  kind: CaseClass;
  /** Its body was also rendered as a JS string with lone surrogates (which no file can hold). */
  raw: boolean;
  outcome: Outcome;
  /** What refused it (the diagnostic), or the crash. */
  problem?: string;
}

/** Counts of a run: what scripts/fuzz-render.ts prints (and `--json` gives). */
export interface FuzzReport {
  cases: number;
  seed: number;
  astroMs: number;
  msPerCase: number;
  /** Class → outcome → count. */
  byClass: Record<string, Partial<Record<Outcome, number>>>;
  /** What refused a page (message with its values blanked) → count and the first case. */
  problems: Record<string, { count: number; kind: CaseClass; example: number }>;
  crashes: CaseResult[];
}

/** A GitHub source (relative images go to GitHub) for even cases, a local folder (kept as written) for odd ones. */
const SOURCES: SourceConfig[] = [
  { id: 'fuzz', title: 'Fuzz', paths: ['docs'], repo: { owner: 'o', name: 'r' } },
  { id: 'fuzz', title: 'Fuzz', paths: ['docs'], localPath: '/fuzz' },
];
const FILE = 'docs/case.md';
const SLUG = 'fuzz/case';

/** A problem message with its particulars blanked, so equal causes count together. */
function signature(problem: string): string {
  return problem
    .replace(/^.*?\((.*)\); it is shown as text\..*$/s, '$1')
    .replace(/(\*\*[^*]+\*\*)[\s\S]*$/, '$1') // a schema error: by its first field
    .replace(/`[^`]*`|"[^"]*"|'[^']*'/g, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 110);
}

/** The page a case becomes: transformed like a repository's file, with the case's page fields. */
function pageOf(c: RenderCase): Page | undefined {
  const page = transformSource({ source: SOURCES[c.id % 2]!, sha: 'fuzz', ref: 'main', files: [{ path: FILE, content: c.bytes }] }).pages[0];
  return page && { ...page, ...c.page };
}

/**
 * Run cases `from` … `to - 1` of `seed` in this process; `onStart` is called before each (a case that
 * never reports back hung or killed the process), `onCase` with each result. Resolves to the time the
 * astro build took.
 */
export async function fuzzCases(options: {
  seed: number;
  from: number;
  to: number;
  onReady?: (astroMs: number) => void;
  onStart?: (id: number) => void;
  onCase: (c: RenderCase, r: CaseResult) => void;
}): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'docs-sync-fuzz-'));
  const contentDir = join(dir, 'content');
  const renderDir = join(dir, 'render');
  const home = process.cwd();
  try {
    const cacheDir = join(dir, 'cache');
    process.chdir(await prepareWorkDir(cacheDir));
    const write = async (page: Page, id = 0): Promise<ReturnType<typeof pageSpecs>> => {
      await writeContent(contentDir, [page], [SOURCES[id % 2]!]);
      return pageSpecs(JSON.parse(await readFile(join(contentDir, 'site.json'), 'utf8')) as SiteManifest);
    };
    const specs = await write({ source: 'fuzz', slug: SLUG, file: FILE, title: 'Case', body: 'Text.' });
    Object.assign(process.env, {
      DOCS_SYNC_SITE_JSON: join(contentDir, 'site.json'),
      DOCS_SYNC_RENDER_DIR: renderDir,
      DOCS_SYNC_CACHE_DIR: cacheDir,
      DOCS_SYNC_OUT_DIR: join(dir, 'out'),
    });
    const bodyKeys = new Map(specs.map((s) => [s.slug, 'start']));
    const began = performance.now();
    const site: WarmSite = await astroBuild({
      siteDir: SITE_DIR,
      render: () => true,
      prepare: async (renderer, docsDir) => {
        await writePageInputs({ specs, bodyKeys, contentDir, renderDir, renderer, docsDir });
        await writePageList(renderDir, specs);
      },
    });
    const astroMs = Math.round(performance.now() - began);
    options.onReady?.(astroMs);
    for (let id = options.from; id < options.to; id++) {
      const c = renderCase(options.seed, id);
      const raw = id % 3 === 0;
      const result: CaseResult = { id, kind: c.kind, raw, outcome: 'rendered' };
      options.onStart?.(id);
      try {
        const page = pageOf(c);
        if (!page) throw new Error('the transform made no page of it');
        if (raw) {
          // The body as a JS string with lone surrogates straight into the renderer, besides the file's path.
          const direct = await renderBodySafely(site.renderer, page.body.replace(/\uFFFD/g, '\ud800').replace(/\n\n/, '\n\udc00\n'), {
            frontmatter: { title: 'x' },
          });
          if (typeof direct.html !== 'string') throw new Error('renderBodySafely returned no HTML');
        }
        const spec = (await write(page, id)).find((s) => s.slug === SLUG)!;
        if (c.starlight) spec.frontmatter = { ...spec.frontmatter, ...c.starlight } as typeof spec.frontmatter;
        const problems = new Map<string, string>();
        await writePageInputs({
          specs: [spec],
          bodyKeys: new Map([[SLUG, `case-${options.seed}-${id}`]]),
          contentDir,
          renderDir,
          renderer: site.renderer,
          docsDir: site.docsDir,
          problems,
        });
        const bodyProblem = problems.get(SLUG);
        const recover = pageRecovery({ specs: [spec], bodyKeys, contentDir, renderDir, problems });
        let recovered = false;
        const html = (
          await withRecovery(
            spec.outFile,
            () => site.render(spec.outFile),
            async (...args) => (recovered = true) && recover(...args),
          )
        ).toString('utf8');
        if (!html.includes('</html>')) throw new Error('the rendered page is cut short (no </html>)');
        result.outcome = recovered ? 'page as text' : bodyProblem ? 'body as text' : 'rendered';
        const problem = problems.get(SLUG);
        if (problem) result.problem = problem;
      } catch (error) {
        result.outcome = 'crash';
        result.problem = error instanceof Error ? (error.stack ?? error.message) : String(error);
      }
      options.onCase(c, result);
    }
    return astroMs;
  } finally {
    process.chdir(home);
    await rm(dir, { recursive: true, force: true });
  }
}

/** An empty report of a run. */
export const emptyReport = (cases: number, seed: number): FuzzReport => ({ cases, seed, astroMs: 0, msPerCase: 0, byClass: {}, problems: {}, crashes: [] });

/** Count one case's result into `report`. */
export function tally(report: FuzzReport, result: CaseResult): void {
  const counts = (report.byClass[result.kind] ??= {});
  counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
  if (result.outcome === 'crash') report.crashes.push(result);
  else if (result.problem) {
    const key = signature(result.problem);
    report.problems[key] ??= { count: 0, kind: result.kind, example: result.id };
    report.problems[key].count++;
  }
}
