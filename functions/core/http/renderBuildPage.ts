import type { BuildRecord } from '../types.ts';
import { describeCaughtUpCommits, describeReconciledSource } from '../reconcile/describeReconciled.ts';
import { describeTrigger, durationOf, esc, formatMs, layout, PHASES, stateBadge } from './buildsHtml.ts';

const MAX_DIAGNOSTICS = 50;

/** `/_builds/<id>`: one build for humans, with every source's outcome and its diagnostics. */
export function renderBuildPage(b: BuildRecord): string {
  const facts: Array<[string, string]> = [
    ['Outcome', stateBadge(b)],
    ['Trigger', describeTrigger(b)],
    ['Created', esc(b.createdAt)],
    ['Started', esc(b.startedAt ?? '–')],
    ['Finished', esc(b.finishedAt ?? '–')],
    ['Duration', formatMs(durationOf(b))],
    ['Attempts', String(b.attempts)],
    [
      'Phases',
      PHASES.filter((p) => b.phases[p] !== undefined)
        .map((p) => `${p} ${formatMs(b.phases[p])}`)
        .join(' · ') || '–',
    ],
  ];
  if (b.pages) facts.push(['Pages', `${b.pages.total} (added ${b.pages.added}, changed ${b.pages.changed}, removed ${b.pages.removed})`]);
  if (b.release) facts.push(['Release', `<code>${esc(b.release)}</code>`]);
  if (b.preview)
    facts.push([
      'Preview',
      b.preview.removed
        ? `<code>${esc(b.preview.key)}</code> removed`
        : `<a href="${esc(b.preview.url)}/">${esc(b.preview.url)}</a>${b.preview.rendered !== undefined ? ` <span class="muted">(${b.preview.rendered} page(s) rendered)</span>` : ''}`,
    ]);
  if (b.reason) facts.push(['Reason', esc(b.reason)]);
  if (b.error) facts.push(['Error', `<span class="bad">${esc(b.error.phase)}: ${esc(b.error.message)}</span>`]);
  const cs = b.commitStatus;
  if (cs) facts.push(['GitHub status', cs.problem ? `<span class="warn">${esc(cs.problem)}</span>` : `${esc(cs.state ?? '–')}: ${esc(cs.description ?? '')}`]);
  if (b.supersededBy) facts.push(['Carried by', `<a href="/_builds/${esc(b.supersededBy)}">${esc(b.supersededBy)}</a>`]);
  for (const r of b.request?.reconciled ?? (b.trigger.kind === 'reconcile' ? b.trigger.sources : [])) {
    const commits = describeCaughtUpCommits(r)
      .slice(-20)
      .map((c) => `<li><code>${esc(c.slice(0, 7))}</code>${esc(c.slice(7))}</li>`)
      .join('');
    facts.push(['Caught up', `${esc(describeReconciledSource(r))} <span class="muted">(never delivered)</span>${commits ? `<ul>${commits}</ul>` : ''}`]);
  }
  if (b.carried)
    facts.push([
      'Carried',
      `${b.carried.count} earlier build(s): ${b.carried.ids
        .slice(-10)
        .map((id) => `<a href="/_builds/${esc(id)}">${esc(id)}</a>`)
        .join(', ')}`,
    ]);

  const sources = b.sources
    .map((s) => {
      const sha =
        s.previousSha && s.sha
          ? `<code>${esc(s.previousSha.slice(0, 7))}</code> → <code>${esc(s.sha.slice(0, 7))}</code>`
          : s.sha
            ? `<code>${esc(s.sha.slice(0, 12))}</code>`
            : '–';
      const state = s.state === 'built' ? (s.fetched === false ? 'unchanged' : 'built') : s.state;
      const cls = s.state === 'stale' ? 'warn' : s.state === 'failed' ? 'bad' : '';
      const note = [
        s.staleSince ? `stale since ${esc(s.staleSince)}` : '',
        s.error ? esc(s.error) : '',
        s.authors?.length ? `by ${esc(s.authors.join(', '))}` : '',
      ]
        .filter(Boolean)
        .join(' — ');
      const diags = s.diagnostics
        .slice(0, MAX_DIAGNOSTICS)
        .map((d) => `<li><code>${esc(d.file)}${d.line ? `:${d.line}` : ''}</code> <span class="muted">${esc(d.kind)}</span> ${esc(d.message)}</li>`)
        .join('');
      const more =
        s.diagnostics.length > MAX_DIAGNOSTICS
          ? `<li class="muted">… and ${s.diagnostics.length - MAX_DIAGNOSTICS} more (see <a href="/builds/${esc(b.id)}">JSON</a>)</li>`
          : '';
      return `<tr><td><b>${esc(s.id)}</b></td><td class="${cls}">${esc(state)}</td><td>${sha}</td><td>${s.pages}</td><td>${note}${diags ? `<ul>${diags}${more}</ul>` : ''}</td></tr>`;
    })
    .join('\n');
  const body = `<p><a href="/_builds/">← all builds</a></p><h1>Build ${esc(b.id)}</h1>
<table>${facts.map(([k, v]) => `<tr><th style="width:9rem">${k}</th><td>${v}</td></tr>`).join('')}</table>
<h2>Sources</h2>${b.sources.length ? `<table><thead><tr><th>Source</th><th>Outcome</th><th>Commit</th><th>Pages</th><th>Notes and diagnostics</th></tr></thead><tbody>${sources}</tbody></table>` : '<p class="muted">None yet.</p>'}
<p class="muted">Raw record: <a href="/builds/${esc(b.id)}">/builds/${esc(b.id)}</a></p>`;
  return layout(`Build ${b.id} · docs-sync`, body, { refresh: b.state === 'running' || b.state === 'queued' });
}
