/**
 * The freshness table on `/_builds/`: per source the commit the site serves, the branch head when
 * last checked (and when), and how long the site has lagged behind it (see freshnessStatus.ts).
 */
import { describeDuration } from '../config/parseDuration.ts';
import type { StatusReport } from '../reconcile/freshnessStatus.ts';
import { esc } from './buildsHtml.ts';

const sha = (s: string | undefined): string => (s ? `<code>${esc(s.slice(0, 7))}</code>` : '<span class="muted">–</span>');
const when = (iso: string | undefined): string => (iso ? esc(iso.replace('T', ' ').slice(0, 19)) : '<span class="muted">never</span>');

export function renderFreshness(status: StatusReport): string {
  const rows = status.sources.map((s) => {
    const lag = s.behind
      ? `<span class="${s.stale ? 'bad' : 'warn'}">${esc(describeDuration(s.lagMs))}${s.stale ? ' (stale)' : ''}</span>`
      : s.head
        ? 'in step'
        : '<span class="muted">not checked</span>';
    const err = s.error ? `<div class="bad">${esc(s.error.slice(0, 200))}</div>` : '';
    const live = s.liveBuild ? `${sha(s.live)} <a class="muted" href="/_builds/${esc(s.liveBuild)}">${esc(s.liveBuild)}</a>` : sha(s.live);
    return `<tr class="source"><td>${esc(s.id)}<div class="muted">${esc(s.repo ?? 'local folder')}${s.ref ? ` @ ${esc(s.ref)}` : ''}</div></td><td>${live}</td><td>${sha(s.head)}${err}</td><td>${when(s.checkedAt)}</td><td>${lag}</td></tr>`;
  });
  const sweep = status.lastSweep;
  const every = status.reconcileEveryMs ? `every ${esc(describeDuration(status.reconcileEveryMs))}` : 'off (RECONCILE_EVERY=0)';
  const last = sweep
    ? `last sweep ${when(sweep.at)}: ${sweep.checked} checked, ${sweep.requests.total} request(s), ${sweep.requests.counted} counted`
    : 'no sweep yet';
  return `<h2>Freshness</h2><p class="muted">Branch heads checked ${every}; ${last}. JSON: <a href="/status">/status</a></p>
<table><thead><tr><th>Source</th><th>Live commit</th><th>Branch head</th><th>Checked</th><th>Lag</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}
