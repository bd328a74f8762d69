import type { BuildRecord } from '../types.ts';
import { describeTrigger, durationOf, esc, formatMs, layout, PHASE_COLORS, PHASES, sourcesSummary, stateBadge } from './buildsHtml.ts';
import { STATE_COLORS } from './renderBadge.ts';
import { renderFreshness } from './renderFreshness.ts';
import type { StatusReport } from '../reconcile/freshnessStatus.ts';

/** Stacked bars of phase durations for the finished builds, oldest on the left. */
function durationChart(builds: BuildRecord[]): string {
  const done = builds
    .filter((b) => durationOf(b) !== undefined)
    .slice(0, 60)
    .reverse();
  if (done.length === 0) return '<p class="muted">No finished build yet.</p>';
  const max = Math.max(...done.map((b) => durationOf(b)!), 1);
  const w = 900;
  const h = 180;
  const bar = Math.max(4, Math.min(28, Math.floor((w - 60) / done.length) - 4));
  const step = (w - 60) / done.length;
  const y = (ms: number) => (ms / max) * (h - 30);
  const bars = done
    .map((b, i) => {
      const x = 50 + i * step;
      let top = h - 20;
      const parts = PHASES.filter((p) => b.phases[p] !== undefined).map((p) => {
        const height = Math.max(0.5, y(b.phases[p]!));
        top -= height;
        return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${bar}" height="${height.toFixed(1)}" fill="${PHASE_COLORS[p]}"/>`;
      });
      const title = `${b.id} — ${b.state}, ${formatMs(durationOf(b))}: ${PHASES.map((p) => `${p} ${formatMs(b.phases[p])}`).join(', ')}`;
      return `<a href="/_builds/${esc(b.id)}"><g><title>${esc(title)}</title>${parts.join('')}<rect x="${x.toFixed(1)}" y="${h - 18}" width="${bar}" height="4" fill="${STATE_COLORS[b.state]}"/></g></a>`;
    })
    .join('');
  const ticks = [0, 0.5, 1]
    .map(
      (f) =>
        `<text x="44" y="${(h - 20 - f * (h - 30) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#656d76">${esc(formatMs(Math.round(f * max)))}</text><line x1="48" x2="${w}" y1="${(h - 20 - f * (h - 30)).toFixed(1)}" y2="${(h - 20 - f * (h - 30)).toFixed(1)}" stroke="#eaeef2"/>`,
    )
    .join('');
  const legend = PHASES.map((p) => `<span><i class="swatch" style="background:${PHASE_COLORS[p]}"></i>${p}</span>`).join('');
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="Build durations">${ticks}${bars}</svg><p class="legend muted">${legend} <span>(bottom stripe: outcome)</span></p>`;
}

/**
 * `/_builds/`: recent builds for humans — outcome badges, phase durations, per-source outcomes, a
 * chart of build durations over time and the status badge to embed.
 */
export function renderBuildsPage(builds: BuildRecord[], publicUrl: string, freshness?: StatusReport): string {
  const active = builds.some((b) => b.state === 'running' || b.state === 'queued');
  const rows = builds
    .map((b) => {
      const phases = PHASES.filter((p) => b.phases[p] !== undefined)
        .map((p) => `<span>${p} ${formatMs(b.phases[p])}</span>`)
        .join('');
      const pages = b.pages ? `${b.pages.total} <span class="muted">(+${b.pages.added} ~${b.pages.changed} −${b.pages.removed})</span>` : '';
      const note = b.error
        ? `<div class="bad">${esc(b.error.phase)}: ${esc(b.error.message.slice(0, 300))}</div>`
        : b.reason
          ? `<div class="muted">${esc(b.reason)}</div>`
          : b.supersededBy
            ? `<div class="muted">carried by <a href="/_builds/${esc(b.supersededBy)}">${esc(b.supersededBy)}</a></div>`
            : '';
      return `<tr class="build state-${b.state}"><td><a href="/_builds/${esc(b.id)}">${esc(b.id)}</a><div class="muted">${esc(b.createdAt.replace('T', ' ').slice(0, 19))}</div></td>
<td>${stateBadge(b)}</td><td>${describeTrigger(b)}${note}</td><td>${formatMs(durationOf(b))}<div class="phases muted">${phases}</div></td><td>${sourcesSummary(b)}</td><td>${pages}</td></tr>`;
    })
    .join('\n');
  const badgeUrl = `${publicUrl}/_builds/badge.svg`;
  const body = `<h1>Builds <img src="/_builds/badge.svg" alt="status" style="vertical-align:middle"></h1>
<p class="muted">The newest first. JSON: <a href="/builds">/builds</a> · deliveries: <a href="/deliveries">/deliveries</a> · the site: <a href="/">/</a></p>
${freshness ? renderFreshness(freshness) : ''}
<h2>Build durations</h2>${durationChart(builds)}
<h2>Recent builds</h2>
${builds.length ? `<table><thead><tr><th>Build</th><th>Outcome</th><th>Trigger</th><th>Duration</th><th>Sources</th><th>Pages</th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p>No builds yet.</p>'}
<h2>Status badge</h2><p>Embed it in a README: <code>![docs](${esc(badgeUrl)})</code></p>`;
  return layout('Builds · docs-sync', body, { refresh: active });
}
