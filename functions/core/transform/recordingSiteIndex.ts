import { serializeOutline, type SiteAnswers, type SiteQuestion } from './createSiteAnswers.ts';
import type { IndexedSource, SiteIndex } from './siteIndex.ts';

/** What a transform learnt from the site index: question → answer, and the outlines it was given. */
export interface SiteDependencies {
  answers: Map<SiteQuestion, string>;
  /** Slug → serialised outline (see serializeOutline). */
  outlines: Map<string, string>;
}

/**
 * A view of `site` that answers like it and notes every question asked (with its answer from
 * `answers`) in `deps`, so the transform's result can later be reused while the same questions get
 * the same answers. Reading `sources` other than by `get`/`has` notes `all` (every source matters).
 */
export function recordingSiteIndex(site: SiteIndex, answers: SiteAnswers, deps: SiteDependencies): SiteIndex {
  const ask = (question: SiteQuestion): void => {
    if (!deps.answers.has(question)) deps.answers.set(question, answers.answer(question));
  };
  const real = site.sources;
  const sources: ReadonlyMap<string, IndexedSource> = {
    get: (id) => (ask(`source\n${id}`), real.get(id)),
    has: (id) => (ask(`source\n${id}`), real.has(id)),
    get size() {
      ask('all');
      return real.size;
    },
    forEach: (fn, thisArg?: unknown) => {
      ask('all');
      real.forEach((v, k) => fn.call(thisArg, v, k, sources));
    },
    entries: () => (ask('all'), real.entries()),
    keys: () => (ask('all'), real.keys()),
    values: () => (ask('all'), real.values()),
    [Symbol.iterator]: () => (ask('all'), real[Symbol.iterator]()),
  };
  return {
    get githubUrl() {
      return site.githubUrl;
    },
    get options() {
      return site.options;
    },
    sources,
    repoSources: (repo) => (ask(`repo\n${repo}`), site.repoSources(repo)),
    page: (slug) => (ask(`page\n${slug}`), site.page(slug)),
    publishedPage: (url) => (ask(`url\n${url}`), site.publishedPage(url)),
    outline(slug) {
      ask(`outline\n${slug}`);
      const outline = site.outline(slug);
      if (!deps.outlines.has(slug)) deps.outlines.set(slug, serializeOutline(outline));
      return outline;
    },
    remember: (slug, outline) => site.remember(slug, outline),
  };
}
