/**
 * Pages that would move: the author's source's page URLs in the live site (its page list in DATA_DIR)
 * that the preview no longer has, and the preview's new ones. Links to a gone URL break for readers
 * and for other sources.
 */
import type { PageIndex } from '../core/pipeline/pageIndex.ts';

export interface PageMoves {
  /** URLs (slugs) the live site has for the source and the preview does not. */
  gone: string[];
  /** URLs the preview has for the source and the live site does not. */
  added: string[];
}

const ofSource = (id: string) => (slug: string) => ['', 'en/', 'zh/'].some((p) => slug === `${p}${id}` || slug.startsWith(`${p}${id}/`));

export function pageMoves(live: PageIndex | undefined, preview: PageIndex | undefined, sourceId: string): PageMoves | undefined {
  if (!live || !preview) return undefined;
  const mine = ofSource(sourceId);
  const before = new Set(Object.keys(live).filter(mine));
  const after = new Set(Object.keys(preview).filter(mine));
  return { gone: [...before].filter((s) => !after.has(s)).sort(), added: [...after].filter((s) => !before.has(s)).sort() };
}
