/**
 * A page can take the renderer down rather than make it throw: Expressive Code searching a code line
 * with an author's regular expression that backtracks for ever (```` ```js /(a+)+$/ ````), or running
 * out of memory. No try/catch sees that: the builder process is killed (timeout) or dies, and every
 * retry would die on the same page. So before each render the page is written down (synchronously,
 * so it survives the crash); a builder that starts and finds that note knows which page it was, and
 * that page (with that content) is shown as text from then on, with a diagnostic. Files, in the
 * builder's render dir:
 *   rendering       the page being rendered now: {"slug", "key"}
 *   poisoned.json   pages that took a builder down: slug → the key (content) they had then
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PageWatch } from './astroBuild.ts';
import type { PageSpec } from './pageSpecs.ts';
import type { Recover } from './renderPageSafely.ts';

export interface RenderGuard {
  /** Whether this page, with this key, took a builder down before. */
  poisoned(slug: string, key: string): boolean;
  /** Note that this page is being rendered (written before returning). */
  begin(slug: string, key: string): void;
  /** It rendered (or threw): the note goes. */
  end(): void;
  /** Keep only the entries of these pages. */
  prune(slugs: Iterable<string>): Promise<void>;
}

/** The problem of a page that took the renderer down. */
export const POISONED =
  "The site's renderer stopped responding or crashed on this page in an earlier build attempt, so it is shown as text. Look for a code block option with a regular expression (/…/) or a very long line, and simplify it.";

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Open the guard of a render dir, taking in the note a builder that went down left. */
export async function openRenderGuard(renderDir: string): Promise<RenderGuard> {
  const noteFile = join(renderDir, 'rendering');
  const listFile = join(renderDir, 'poisoned.json');
  const list: Record<string, string> = readJson<Record<string, string>>(listFile) ?? {};
  const save = async (): Promise<void> => {
    await writeFile(`${listFile}.tmp`, JSON.stringify(list));
    await rename(`${listFile}.tmp`, listFile);
  };
  const left = readJson<{ slug?: unknown; key?: unknown }>(noteFile);
  if (typeof left?.slug === 'string' && typeof left.key === 'string') {
    console.log(`[site] the last build attempt went down while rendering /${left.slug}: that page is shown as text`);
    list[left.slug] = left.key;
    await save();
  }
  rmSync(noteFile, { force: true });
  return {
    poisoned: (slug, key) => list[slug] === key,
    begin: (slug, key) => writeFileSync(noteFile, JSON.stringify({ slug, key })),
    end: () => rmSync(noteFile, { force: true }),
    prune: async (slugs) => {
      const keep = new Set(slugs);
      const stale = Object.keys(list).filter((slug) => !keep.has(slug));
      for (const slug of stale) delete list[slug];
      if (stale.length) await save();
    },
  };
}

/**
 * What runs around each page render of a build: notes the page in the guard, or, for a page that took
 * a builder down with this very key, writes its page file as text (`recover`, plainest form) first.
 */
export function guardPages(
  guard: RenderGuard,
  specs: readonly PageSpec[],
  keys: Record<string, string>,
  problems: Map<string, string>,
  recover: Recover,
): PageWatch {
  const byFile = new Map(specs.map((s) => [s.outFile, s]));
  return {
    before: async (outFile) => {
      const spec = byFile.get(outFile);
      if (!spec) return;
      const key = `page:${keys[outFile]}`;
      if (!guard.poisoned(spec.slug, key)) return guard.begin(spec.slug, key);
      problems.set(spec.slug, POISONED);
      await recover(outFile, new Error(POISONED), 2);
    },
    after: () => guard.end(),
  };
}
