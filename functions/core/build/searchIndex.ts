/**
 * The site's search index (createSearchIndexer): Pagefind indexes per shard, fed each page's HTML
 * without its sidebar (withoutSidebar), which Pagefind never indexes (Starlight marks the page's
 * <main> as its body) but had to parse: 40 % of a page at 10,000 pages, and most of the indexing time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { linkTree } from './buildState.ts';
import type { SearchShard } from './renderPlan.ts';

/** Folder of a shard's Pagefind bundle, relative to the site root (the main one is `pagefind`). */
export const shardDir = (name: string): string => (name === '' ? 'pagefind' : `pagefind/shard/${name}`);

function check<T extends { errors: string[] }>(response: T, what: string): T {
  if (response.errors.length > 0) throw new Error(`Pagefind could not ${what}: ${response.errors.join('; ')}`);
  return response;
}

const SIDEBAR_OPEN = '<sl-sidebar-state-persist';
const SIDEBAR_CLOSE = '</sl-sidebar-state-persist>';

/**
 * A page's HTML without the sidebar tree (site/src/components/Sidebar.astro's element, written before
 * the page's body; a body never holds that tag, sanitizeBody drops unknown elements), or as it is
 * when it has none. Pagefind writes the same index from either.
 */
export function withoutSidebar(html: string): string {
  const start = html.indexOf(SIDEBAR_OPEN);
  const end = start < 0 ? -1 : html.indexOf(SIDEBAR_CLOSE, start);
  return end < 0 ? html : html.slice(0, start) + html.slice(end + SIDEBAR_CLOSE.length);
}

export interface SearchIndexer {
  /** A page's HTML, as soon as it is written (indexing runs in Pagefind's own process meanwhile). */
  add(file: string, html: string): void;
  /** Index the changed shards' pages not added yet (from `outDir`), write their indexes, stop Pagefind. */
  finish(): Promise<{ indexed: number; reused: number }>;
  /** Stop Pagefind without writing anything (the build failed). */
  discard(): Promise<void>;
}

/**
 * The site's search index in `outDir/pagefind/`: one Pagefind index per shard (the main one for pages
 * outside every component; Starlight's search merges the others, see astro.config.mjs). A shard whose
 * key did not change is linked from the mirror when finishing; the others are indexed from the pages'
 * HTML with Pagefind's defaults, as Starlight uses them, each written as soon as its last page is added.
 */
export function createSearchIndexer(outDir: string, shards: readonly SearchShard[], mirrorDir?: string): SearchIndexer {
  interface Open {
    shard: SearchShard;
    /** Pages received but not yet passed on: Pagefind gets them in `shard.files` order, whatever the render order. */
    waiting: Map<string, string>;
    next: number;
    /** Every call to Pagefind for this shard, one after the other. */
    chain: Promise<pagefind.PagefindIndex>;
    done?: Promise<void>;
  }
  const open = new Map<string, Open>();
  /** Each file's shard and its position in `shard.files`. */
  const byFile = new Map<string, { state: Open; at: number }>();
  const unchanged: SearchShard[] = [];
  let failure: unknown;
  for (const shard of shards) {
    if (!shard.changed && mirrorDir !== undefined && existsSync(join(mirrorDir, shardDir(shard.name), 'pagefind-entry.json'))) {
      unchanged.push(shard);
      continue;
    }
    const chain = pagefind.createIndex({}).then((r) => {
      const { index } = check(r, 'start an index');
      if (!index) throw new Error('Pagefind did not create an index.');
      return index;
    });
    const state: Open = { shard, waiting: new Map(), next: 0, chain };
    chain.catch((err: unknown) => (failure ??= err));
    open.set(shard.name, state);
    shard.files.forEach((file, at) => byFile.set(file, { state, at }));
  }
  const then = (state: Open, step: (index: pagefind.PagefindIndex) => Promise<unknown>): void => {
    state.chain = state.chain.then(async (index) => {
      await step(index);
      return index;
    });
    state.chain.catch((err: unknown) => (failure ??= err));
  };
  const flush = (state: Open): void => {
    const { files, name } = state.shard;
    while (state.next < files.length && state.waiting.has(files[state.next]!)) {
      const file = files[state.next++]!;
      const html = state.waiting.get(file)!;
      state.waiting.delete(file);
      then(state, async (index) => check(await index.addHTMLFile({ sourcePath: file, content: withoutSidebar(html) }), `index ${file}`));
    }
    if (state.next === files.length && !state.done) {
      then(state, async (index) => {
        check(await index.writeFiles({ outputPath: join(outDir, shardDir(name)) }), `write the index of ${name || 'the site'}`);
        await index.deleteIndex();
      });
      state.done = state.chain.then(() => undefined);
    }
  };
  const add = (file: string, html: string): void => {
    const found = byFile.get(file);
    if (!found || found.at < found.state.next || found.state.waiting.has(file)) return;
    const { state } = found;
    state.waiting.set(file, html);
    flush(state);
  };
  return {
    add,
    finish: async () => {
      for (const shard of unchanged) {
        linkTree(join(mirrorDir!, shardDir(shard.name)), join(outDir, shardDir(shard.name)), (path) => shard.name === '' && path === 'shard');
      }
      try {
        for (const state of open.values()) {
          for (const file of state.shard.files.slice(state.next)) {
            if (!state.waiting.has(file)) add(file, readFileSync(join(outDir, file), 'utf8'));
          }
          flush(state);
        }
        await Promise.allSettled([...open.values()].map((s) => s.done));
        if (failure) throw failure;
      } finally {
        await pagefind.close();
      }
      return { indexed: open.size, reused: unchanged.length };
    },
    discard: async () => {
      await pagefind.close();
    },
  };
}
