import { createHash } from 'node:crypto';
import type { FetchedSource } from '../types.ts';
import type { Outline } from './outline.ts';
import type { IndexedSource, SiteIndex } from './siteIndex.ts';

/**
 * A question a transform asked the site index, as `<kind>\n<argument>`: `page`, `repo`, `url`
 * (publishedPage), `outline` (a page's link targets), `source` (sources.get) or `all` (anything else
 * about `sources`, e.g. iterating it).
 */
export type SiteQuestion = `${'page' | 'repo' | 'url' | 'outline' | 'source'}\n${string}` | 'all';

/** What one build's site index answers, reduced to strings that are equal exactly when the answer is. */
export interface SiteAnswers {
  /** Digest of everything a source's transform reads of the source itself: config, ref, sha, skipped, files (paths, lastCommit, content bytes). */
  inputKey(fetched: FetchedSource): string;
  /** `githubUrl` and `options` of the index: they shape every link and edit URL. */
  readonly optionsKey: string;
  /**
   * The answer to `question`. For `outline` it is where the outline comes from (the page's source
   * layout, file and content digest): equal answers mean equal outlines; when they differ, compare
   * `outlineText`.
   */
  answer(question: SiteQuestion): string;
  /** The outline of the page at `slug`, serialised. */
  outlineText(slug: string): string;
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('base64url');

export function serializeOutline(outline: Outline | undefined): string {
  return outline ? JSON.stringify([[...outline.github], outline.site, [...outline.html]]) : 'none';
}

/**
 * Answers of one site index (one build), each worked out once. What other sources' transforms read of
 * a source through the index (its config, ref, file → page layout: `places`, `slugs`, `folders`,
 * `pages`) is its "layout": it changes when pages are added, removed or renamed, not when one is edited.
 */
export function createSiteAnswers(site: SiteIndex): SiteAnswers {
  const contentDigests = new WeakMap<Uint8Array, string>();
  const inputKeys = new WeakMap<FetchedSource, string>();
  const layouts = new WeakMap<IndexedSource, string>();
  const answers = new Map<string, string>();
  const outlines = new Map<string, string>();

  const contentDigest = (bytes: Uint8Array): string => {
    let d = contentDigests.get(bytes);
    if (d === undefined) contentDigests.set(bytes, (d = sha256(bytes)));
    return d;
  };
  const inputKey = (fetched: FetchedSource): string => {
    let key = inputKeys.get(fetched);
    if (key === undefined) {
      // Only what a transform reads, so the same files read fresh (Uint8Array) or from a snapshot (a Buffer,
      // which JSON.stringify would spell out byte by byte; with `fetchedAt`, without an empty `skipped`) have one key.
      const files = fetched.files.map((f) => [f.path, contentDigest(f.content), f.lastCommit ?? null]);
      key = sha256(JSON.stringify([fetched.source, fetched.sha, fetched.ref, files]));
      inputKeys.set(fetched, key);
    }
    return key;
  };
  const layout = (s: IndexedSource): string => {
    let d = layouts.get(s);
    if (d === undefined) {
      const pages = [...s.pages].map(([slug, file]) => [slug, file.path]);
      d = sha256(JSON.stringify([s.fetched.source, s.fetched.ref, [...s.places], [...s.slugs], [...s.folders], pages]));
      layouts.set(s, d);
    }
    return d;
  };
  const work = (question: SiteQuestion): string => {
    if (question === 'all') return [...site.sources].map(([id, s]) => `${id}:${inputKey(s.fetched)}`).join(',');
    const at = question.indexOf('\n');
    const kind = question.slice(0, at);
    const arg = question.slice(at + 1);
    if (kind === 'repo') return site.repoSources(arg).map(layout).join(',');
    if (kind === 'url') return JSON.stringify(site.publishedPage(arg) ?? null);
    if (kind === 'source') {
      const s = site.sources.get(arg);
      return s ? inputKey(s.fetched) : 'none';
    }
    const found = site.page(arg);
    if (!found) return 'none';
    const where = `${layout(found.source)}\n${found.file.path}`;
    return kind === 'outline' ? `${where}\n${contentDigest(found.file.content)}` : where;
  };

  return {
    inputKey,
    optionsKey: JSON.stringify([site.githubUrl, site.options]),
    answer(question) {
      let a = answers.get(question);
      if (a === undefined) answers.set(question, (a = work(question)));
      return a;
    },
    outlineText(slug) {
      let text = outlines.get(slug);
      if (text === undefined) outlines.set(slug, (text = serializeOutline(site.outline(slug))));
      return text;
    },
  };
}
