import type { BuildState } from '../types.ts';
import { escapeHtml } from './escapeHtml.ts';

/** One colour per state, so a glance tells them apart (never red for skipped or superseded). */
export const STATE_COLORS: Record<BuildState, string> = {
  succeeded: '#2e7d32',
  degraded: '#b26a00',
  failed: '#c62828',
  running: '#1565c0',
  queued: '#546e7a',
  skipped: '#78909c',
  superseded: '#6a1b9a',
};

/** Rough text width for Verdana 11px, as shields-style badges assume. */
const width = (s: string) =>
  Math.round([...s].reduce((w, c) => w + (/[il.,:;|!']/.test(c) ? 3.5 : /[mwMW]/.test(c) ? 9.5 : /[A-Z]/.test(c) ? 7.5 : 6.5), 0)) + 10;

/** A flat status badge (SVG) a README can embed: "docs | succeeded". */
export function renderBadge(state: BuildState | 'unknown', label = 'docs'): string {
  const value = state === 'unknown' ? 'no builds' : state;
  const color = state === 'unknown' ? '#9e9e9e' : STATE_COLORS[state];
  const lw = width(label);
  const vw = width(value);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + vw}" height="20" role="img" aria-label="${escapeHtml(label)}: ${escapeHtml(value)}">
<title>${escapeHtml(label)}: ${escapeHtml(value)}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${lw + vw}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><rect width="${lw + vw}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="14">${escapeHtml(label)}</text><text x="${lw + vw / 2}" y="14">${escapeHtml(value)}</text></g>
</svg>`;
}
