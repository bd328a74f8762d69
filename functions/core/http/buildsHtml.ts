import type { BuildRecord, Phase } from '../types.ts';
import { STATE_COLORS } from './renderBadge.ts';
import { escapeHtml as esc } from './escapeHtml.ts';
import { describeReconciledSource } from '../reconcile/describeReconciled.ts';

/** Escape text for HTML (everything shown comes from builds, pushes and repositories). */
export { esc };

export const PHASES: Phase[] = ['fetch', 'transform', 'build', 'deploy'];
export const PHASE_COLORS: Record<string, string> = { fetch: '#4e79a7', transform: '#59a14f', build: '#f28e2b', deploy: '#76b7b2' };

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Total wall time of a finished build (start of its last attempt to its end). */
export function durationOf(b: BuildRecord): number | undefined {
  if (!b.finishedAt || !b.startedAt) return undefined;
  return Math.max(0, Date.parse(b.finishedAt) - Date.parse(b.startedAt));
}

export function stateBadge(b: Pick<BuildRecord, 'state'>): string {
  return `<span class="badge state-${b.state}" style="background:${STATE_COLORS[b.state]}">${esc(b.state)}</span>`;
}

export function describeTrigger(b: BuildRecord): string {
  const t = b.trigger;
  const carried = b.carried ? ` <span class="muted">+ ${b.carried.count} carried</span>` : '';
  if (t.kind === 'manual')
    return `manual${t.full ? ' (full)' : ''}${t.sources?.length ? `: ${esc(t.sources.join(', '))}` : ''}${t.requestedBy ? ` <span class="muted">by ${esc(t.requestedBy)}</span>` : ''}${carried}`;
  if (t.kind === 'preview')
    return `preview <b>${esc(t.pr.repo)}</b>#${t.pr.number} @<code>${esc(t.pr.headSha.slice(0, 7))}</code> <span class="muted">${t.action === 'close' ? 'closed' : esc(t.pr.headRef)} by ${esc(t.pr.author)}</span>`;
  if (t.kind === 'reconcile')
    return `reconcile <span class="muted">(missed pushes)</span>: ${esc(t.sources.map(describeReconciledSource).join(', '))}${carried}`;
  return `push <b>${esc(t.repo)}</b>@<code>${esc(t.sha.slice(0, 7))}</code> <span class="muted">${esc(t.ref.replace('refs/heads/', ''))} by ${esc(t.pusher)}</span>${carried}`;
}

export function sourcesSummary(b: BuildRecord): string {
  if (!b.sources.length) return '<span class="muted">–</span>';
  const count = (s: string) => b.sources.filter((x) => x.state === s).length;
  const parts = [`${count('built')} built`];
  if (count('stale')) parts.push(`<span class="warn">${count('stale')} stale</span>`);
  if (count('failed')) parts.push(`<span class="bad">${count('failed')} failed</span>`);
  const broken = b.sources.reduce((n, s) => n + s.diagnostics.filter((d) => d.kind === 'broken-link').length, 0);
  if (broken) parts.push(`${broken} broken links`);
  const inbound = b.inboundBroken?.length ?? 0;
  if (inbound) parts.push(`<span class="warn">${inbound} ${inbound === 1 ? 'link' : 'links'} of other sources broken by this build</span>`);
  return parts.join(', ');
}

/** The page shell: a plain, fast page with no script; it reloads itself while builds are active. */
export function layout(title: string, body: string, options: { refresh?: boolean } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${options.refresh ? '<meta http-equiv="refresh" content="5">' : ''}<title>${esc(title)}</title><style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:72rem;padding:1.5rem;color:#1f2328}
h1{font-size:1.5rem;margin:.2rem 0 1rem}h2{font-size:1.15rem;margin-top:2rem}a{color:#0969da}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{font-weight:600;background:#f6f8fa}.badge{display:inline-block;color:#fff;border-radius:1em;padding:.05rem .6rem;font-size:.8rem;font-weight:600}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}
.muted{color:#656d76}.warn{color:#9a6700}.bad{color:#c62828}.phases span{display:inline-block;margin-right:.6rem;white-space:nowrap}
.legend span{margin-right:1rem}.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
svg.chart{width:100%;height:auto;background:#fbfbfc;border:1px solid #d0d7de;border-radius:6px}
</style></head><body>${body}</body></html>`;
}
