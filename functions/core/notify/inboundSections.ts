/**
 * The report's "Links into <source> that this push broke" lists: per source whose page or heading this
 * build removed, the links of other sources that now point at nothing (build.inboundBroken).
 */
import type { BuildRecord } from '../types.ts';
import { clip, ITEM_CHARS, MAX_BROKEN_LINK_SOURCES, MAX_BROKEN_LINKS } from './wording.ts';

export function inboundSections(b: BuildRecord): Array<{ heading: string; items: string[]; more: number }> {
  const byTarget = new Map<string, NonNullable<BuildRecord['inboundBroken']>>();
  for (const x of b.inboundBroken ?? []) byTarget.set(x.to.source, [...(byTarget.get(x.to.source) ?? []), x]);
  const verb = b.trigger.kind === 'push' || (b.request?.pushes.length ?? 0) > 0 ? 'this push' : 'this build';
  return [...byTarget].slice(0, MAX_BROKEN_LINK_SOURCES).map(([target, list]) => ({
    heading: `Links into ${target} that ${verb} broke (${list.length})`,
    items: list
      .slice(0, MAX_BROKEN_LINKS)
      .map((x) => clip(`${x.from.source}: ${x.from.file}${x.from.line ? `:${x.from.line}` : ''} → ${x.to.url} (${x.because})`, ITEM_CHARS)),
    more: Math.max(0, list.length - MAX_BROKEN_LINKS),
  }));
}
