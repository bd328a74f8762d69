/**
 * The notification for sources whose site copy lags their branch longer than STALE_AFTER, or that
 * just caught up again: a ReportSummary, so every channel renders it like a build report.
 */
import { describeDuration } from '../config/parseDuration.ts';
import type { ReportSummary } from '../notify/summarizeReport.ts';
import type { Freshness } from './freshnessFile.ts';

const short = (sha: string | undefined): string => (sha ?? '?').slice(0, 7);

export function freshnessNotice(
  changes: { stale: string[]; recovered: string[] },
  freshness: Freshness,
  ctx: { publicUrl: string; staleAfterMs: number; now: number },
): ReportSummary {
  const line = (id: string): string => {
    const f = freshness.sources[id]!;
    const lag = f.behindSince ? `, behind for ${describeDuration(ctx.now - Date.parse(f.behindSince))}` : '';
    return `${id} (${f.repo}@${f.ref}): site has ${short(f.live)}, branch is at ${short(f.head)}${lag}${f.error ? `; last check failed: ${f.error}` : ''}`;
  };
  const { stale, recovered } = changes;
  const sections: ReportSummary['sections'] = [];
  if (stale.length) sections.push({ heading: `Behind their branch for over ${describeDuration(ctx.staleAfterMs)}`, items: stale.map(line), more: 0 });
  if (recovered.length)
    sections.push({
      heading: 'In step again',
      items: recovered.map((id) => `${id}: site is at ${short(freshness.sources[id]!.live)}, the branch head`),
      more: 0,
    });
  const title = stale.length ? `Docs stale: ${stale.join(', ')} behind GitHub` : `Docs fresh again: ${recovered.join(', ')}`;
  return {
    title: title.slice(0, 120),
    headline: stale.length
      ? `${stale.length} source(s) have not shown their branch's newest commit for over ${describeDuration(ctx.staleAfterMs)}; the builds page says why.`
      : `${recovered.length} source(s) the site lagged behind are in step with their branch again.`,
    notes: stale.length && recovered.length ? [`In step again: ${recovered.join(', ')}.`] : [],
    facts: [{ label: 'Checked', value: freshness.lastSweep?.at ?? new Date(ctx.now).toISOString() }],
    sources: { rows: [], more: 0, unchanged: 0 },
    sections,
    links: [
      { label: 'Builds and freshness', url: `${ctx.publicUrl}/_builds/` },
      { label: 'Status (JSON)', url: `${ctx.publicUrl}/status` },
    ],
  };
}
