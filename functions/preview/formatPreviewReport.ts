/**
 * What the preview prints after each build: the same diagnostics the build report carries (broken
 * links, front matter, HTML removed, …) for the author's source, the pages that would move, and what
 * changed since the last rebuild. Plain lines for a terminal.
 */
import type { BuildRecord, Diagnostic } from '../core/types.ts';
import type { PageMoves } from './pageMoves.ts';

const KIND_LABEL: Record<Diagnostic['kind'], string> = {
  'broken-link': 'broken link',
  'front-matter': 'front matter',
  html: 'HTML removed',
  'duplicate-page': 'duplicate page',
  encoding: 'encoding',
  other: 'note',
};

const url = (slug: string) => `/${slug}/`;

export function formatPreviewReport(build: BuildRecord, sourceId: string, ms: number, moves?: PageMoves): string[] {
  const lines: string[] = [];
  if (build.state === 'failed') {
    lines.push(`Build failed in the ${build.error?.phase ?? 'build'} phase after ${Math.round(ms)} ms: ${build.error?.message ?? 'unknown error'}`);
    return lines;
  }
  const p = build.pages;
  const counts = p ? `${p.total} pages; since the last build ${p.added} added, ${p.changed} changed, ${p.removed} removed` : '';
  lines.push(`Rebuilt in ${Math.round(ms)} ms${counts ? ` (${counts})` : ''}.`);
  for (const s of build.sources) {
    if (s.state !== 'built') lines.push(`  ${s.id}: ${s.state === 'stale' ? 'stale' : 'left out'}: ${s.error ?? ''}`);
  }
  const mine = build.sources.find((s) => s.id === sourceId);
  const diagnostics = mine?.diagnostics ?? [];
  if (diagnostics.length === 0) lines.push(`  ${sourceId}: no problems found.`);
  for (const d of diagnostics) lines.push(`  ${KIND_LABEL[d.kind]}: ${d.file}${d.line ? `:${d.line}` : ''}: ${d.message}`);
  if (moves?.gone.length) {
    lines.push(`  Pages that would move or go (their live URLs would break): ${moves.gone.map(url).join(', ')}`);
    if (moves.added.length) lines.push(`  New URLs: ${moves.added.map(url).join(', ')}`);
  }
  return lines;
}
