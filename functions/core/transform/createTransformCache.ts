import type { FetchedSource } from '../types.ts';
import { createSiteAnswers, type SiteAnswers, type SiteQuestion } from './createSiteAnswers.ts';
import { recordingSiteIndex, type SiteDependencies } from './recordingSiteIndex.ts';
import type { SiteIndex } from './siteIndex.ts';
import { transformSource, type TransformOptions, type TransformResult } from './transformSource.ts';

export interface TransformCache {
  /**
   * transformSource, reusing the source's previous result when transforming it again would give the
   * same one. Each call returns its own copy: callers may change it.
   */
  transform(fetched: FetchedSource, options?: TransformOptions): TransformResult;
  /** Since the cache was made: results reused, sources transformed, sources held now. */
  stats(): { hits: number; misses: number; entries: number };
}

interface Entry {
  /** The source's own inputs and the index's options (SiteAnswers.inputKey, optionsKey). */
  key: string;
  deps: SiteDependencies;
  result: TransformResult;
}

const copy = (r: TransformResult): TransformResult => ({
  pages: r.pages.map((p) => ({ ...p })),
  diagnostics: r.diagnostics.map((d) => ({ ...d })),
  links: { ...r.links },
});

/** Whether `site` answers every question the transform asked the way it did then. */
function stillHolds(deps: SiteDependencies, answers: SiteAnswers): boolean {
  for (const [question, answer] of deps.answers) {
    if (answers.answer(question) === answer) continue;
    if (!question.startsWith('outline\n')) return false;
    // The page moved or its file changed: what matters is whether its link targets did.
    const slug = question.slice('outline\n'.length);
    if (answers.outlineText(slug) !== deps.outlines.get(slug)) return false;
  }
  return true;
}

/**
 * A per-process cache of transform results, one per source (kept for the sources of the latest site
 * index only). A source's result is reused when its own inputs (config, ref, sha, every file's path,
 * bytes and last commit), the site index options, and every answer its transform got from the site
 * index about other pages (which pages and folders exist where, published URLs, the outlines of pages
 * it linked to with an anchor) are unchanged; otherwise it is transformed again and the questions are
 * noted anew (recordingSiteIndex). Without a site index built from this very fetch the transform runs
 * uncached. `transform` is injectable for tests.
 */
export function createTransformCache(deps: { transform?: typeof transformSource } = {}): TransformCache {
  const run = deps.transform ?? transformSource;
  const entries = new Map<string, Entry>();
  const builds = new WeakMap<SiteIndex, SiteAnswers>();
  let hits = 0;
  let misses = 0;

  const answersFor = (site: SiteIndex): SiteAnswers => {
    let answers = builds.get(site);
    if (!answers) {
      // A new build: forget sources that are no longer part of the site.
      for (const id of entries.keys()) if (!site.sources.has(id)) entries.delete(id);
      builds.set(site, (answers = createSiteAnswers(site)));
    }
    return answers;
  };

  return {
    transform(fetched, options = {}) {
      const site = options.siteIndex;
      const id = fetched.source.id;
      if (!site || site.sources.get(id)?.fetched !== fetched) {
        misses++;
        return run(fetched, options);
      }
      const answers = answersFor(site);
      const key = `${answers.inputKey(fetched)}\n${answers.optionsKey}`;
      const cached = entries.get(id);
      if (cached && cached.key === key && stillHolds(cached.deps, answers)) {
        hits++;
        return copy(cached.result);
      }
      misses++;
      entries.delete(id);
      const noted: SiteDependencies = { answers: new Map<SiteQuestion, string>(), outlines: new Map() };
      const result = run(fetched, { ...options, siteIndex: recordingSiteIndex(site, answers, noted) });
      entries.set(id, { key, deps: noted, result: copy(result) });
      return result;
    },
    stats: () => ({ hits, misses, entries: entries.size }),
  };
}
