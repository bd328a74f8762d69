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
  render: 'shown as text',
  other: 'note',
};

const url = (slug: string) => `/${slug}/`;

const keyOf = (d: Diagnostic) => `${d.kind}\n${d.file}\n${d.message}`;
const lineOf = (d: Diagnostic) => `  ${KIND_LABEL[d.kind]}: ${d.file}${d.line ? `:${d.line}` : ''}: ${d.message}`;

/**
 * The lines printed after a build. `previous`: the source's diagnostics after the build before, so a
 * rebuild lists only what is new (and counts what was fixed); the first build lists everything.
 */
export function formatPreviewReport(build: BuildRecord, sourceId: string, ms: number, moves?: PageMoves, previous?: readonly Diagnostic[]): string[] {
  const lines: string[] = [];
  if (build.state === 'failed') {
    lines.push(`Build failed in the ${build.error?.phase ?? 'build'} phase after ${Math.round(ms)} ms: ${build.error?.message ?? 'unknown error'}`);
    return lines;
  }
  const p = build.pages;
  const counts = p ? `${p.total} pages; since the last build ${p.added} added, ${p.changed} changed, ${p.removed} removed` : '';
  const phases = Object.entries(build.phases)
    .map(([name, t]) => `${name} ${t}`)
    .join(', ');
  lines.push(`Rebuilt in ${Math.round(ms)} ms${counts ? ` (${counts})` : ''}.${phases ? ` Phases (ms): ${phases}.` : ''}`);
  for (const s of build.sources) {
    if (s.state !== 'built') lines.push(`  ${s.id}: ${s.state === 'stale' ? 'stale' : 'left out'}: ${s.error ?? ''}`);
  }
  const diagnostics = build.sources.find((s) => s.id === sourceId)?.diagnostics ?? [];
  if (!previous) {
    lines.push(`  ${sourceId}: ${diagnostics.length ? `${diagnostics.length} problem(s):` : 'no problems found.'}`);
    lines.push(...diagnostics.map(lineOf));
  } else {
    const before = new Set(previous.map(keyOf));
    const now = new Set(diagnostics.map(keyOf));
    const added = diagnostics.filter((d) => !before.has(keyOf(d)));
    const fixed = [...before].filter((k) => !now.has(k)).length;
    lines.push(
      `  ${sourceId}: ${diagnostics.length} problem(s)${added.length || fixed ? ` (${added.length} new, ${fixed} fixed)` : ', none new'}${added.length ? ':' : '.'}`,
    );
    lines.push(...added.map(lineOf));
  }
  if (moves?.gone.length) {
    lines.push(`  Pages that would move or go (their live URLs would break): ${moves.gone.map(url).join(', ')}`);
    if (moves.added.length) lines.push(`  New URLs: ${moves.added.map(url).join(', ')}`);
  }
  return lines;
}
