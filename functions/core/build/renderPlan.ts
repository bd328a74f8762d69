/**
 * What a build renders and re-indexes (renderPlan), and in which order: pages one search shard after
 * the other, in the order the shard's index takes them (inShardOrder). With more components than
 * search shards (versions of the components, issue 11) a shard holds pages of several components far
 * apart in the site's order; rendered in that order, every shard's index stayed open in Pagefind and
 * the pages waiting for their turn stayed in the builder's memory until the end of the build (at
 * 10,000 pages: +0.4 GB in Pagefind). Rendered shard by shard, one index is open at a time.
 */
import { createHash } from 'node:crypto';
import type { BuildState } from './buildState.ts';
import type { PageSpec } from './pageSpecs.ts';

/** Output file of the not-found page; it shows nothing but the site config, so it follows the bundle. */
export const NOT_FOUND = '404.html';

export interface SearchShard {
  /** "" = the main index (`/pagefind/`), else `/pagefind/shard/<name>/`. */
  name: string;
  key: string;
  /** Output files of its pages. */
  files: string[];
  /** Its index must be written (else it is taken from the mirror). */
  changed: boolean;
}

export interface RenderPlan {
  /** Output file → render key, for every page (the not-found page included). */
  keys: Record<string, string>;
  /** Body key of each page (slug → key): its markdown rendered the same way. */
  bodyKeys: Map<string, string>;
  /** Pages whose HTML must be rendered, in shard order (inShardOrder). */
  render: PageSpec[];
  render404: boolean;
  /** Output files taken from the mirror unchanged. */
  reuse: Set<string>;
  shards: SearchShard[];
  /** The mirror holds exactly these pages (none added or removed). */
  samePages: boolean;
}

const hash = (parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

/**
 * Decide what a build renders: a page whose key (bundle, body, everything else it shows) equals the
 * key of its HTML in the mirror is reused; so is a search shard whose pages all kept their keys.
 * Without a state (or with another bundle) everything is rendered.
 */
export function renderPlan(specs: readonly PageSpec[], bundle: string, state: BuildState | undefined): RenderPlan {
  const usable = state?.bundleKey === bundle ? state : undefined;
  const keys: Record<string, string> = {};
  const bodyKeys = new Map<string, string>();
  const render: PageSpec[] = [];
  const reuse = new Set<string>();
  const byShard = new Map<string, Array<[string, string]>>();
  for (const spec of specs) {
    const bodyKey = hash([bundle, spec.entry.digest, spec.slug, spec.entry.lang]);
    const key = hash([bundle, bodyKey, spec.navKey]);
    bodyKeys.set(spec.slug, bodyKey);
    keys[spec.outFile] = key;
    if (usable?.pages[spec.outFile] === key) reuse.add(spec.outFile);
    else render.push(spec);
    const shard = spec.entry.shard ?? '';
    (byShard.get(shard) ?? byShard.set(shard, []).get(shard)!).push([spec.outFile, key]);
  }
  keys[NOT_FOUND] = bundle;
  const render404 = usable?.pages[NOT_FOUND] !== bundle;
  if (!render404) reuse.add(NOT_FOUND);
  const shards: SearchShard[] = [...byShard]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, pages]) => {
      pages.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const key = hash([bundle, ...pages.flat()]);
      return { name, key, files: pages.map(([file]) => file), changed: usable?.shards[name] !== key };
    });
  const before = Object.keys(state?.pages ?? {});
  const samePages = state !== undefined && before.length === Object.keys(keys).length && before.every((file) => file in keys);
  return { keys, bodyKeys, render: inShardOrder(render, shards), render404, reuse, shards, samePages };
}

/**
 * `specs` in the order the search indexer takes pages (shard after shard, each in its `files` order),
 * so each shard's index is complete, written and closed before the next one's pages come.
 */
export function inShardOrder(specs: readonly PageSpec[], shards: readonly SearchShard[]): PageSpec[] {
  const rank = new Map<string, number>();
  for (const shard of shards) for (const file of shard.files) rank.set(file, rank.size);
  const at = (spec: PageSpec): number => rank.get(spec.outFile) ?? rank.size;
  return [...specs].sort((a, b) => at(a) - at(b));
}
