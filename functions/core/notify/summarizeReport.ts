import type { BuildRecord, Phase, SourceOutcome, Trigger } from '../types.ts';
import { describeReconcile, describeCaughtUpCommits, describeReconciledSource } from '../reconcile/describeReconciled.ts';
import { describeOutcome } from './describeOutcome.ts';
import { inboundSections } from './inboundSections.ts';
import { clip, formatDuration, formatTime, ITEM_CHARS, MAX_BROKEN_LINK_SOURCES, MAX_BROKEN_LINKS, plural } from './wording.ts';
import type { NotifyReport } from './Notifier.ts';

/** One source that needs a line of its own; unchanged sources are only counted. */
export interface SourceRow {
  id: string;
  status: 'changed' | 'stale' | 'failed';
  /** Short shas: what the previous release showed (absent for a first fetch) and what this build has. */
  from?: string;
  to?: string;
  /** GitHub compare view `from...to`. */
  compareUrl?: string;
  authors: string[];
  pages: number;
  brokenLinks: number;
  /** Stale sources: when the copy still being served was fetched. */
  since?: string;
  error?: string;
}

/** A build report reduced to short plain-text pieces; `formatReport` renders them. Nothing here is escaped. */
export interface ReportSummary {
  /** One line, for a mail subject or a DingTalk title. */
  title: string;
  /** One sentence: what happened. */
  headline: string;
  /** The outcome in a few sentences: what is stale, what the site serves, what to do, what was carried. */
  notes: string[];
  facts: Array<{ label: string; value: string }>;
  sources: { rows: SourceRow[]; more: number; unchanged: number };
  /** Lists of at most a few items; `more` counts what was left out. */
  sections: Array<{ heading: string; items: string[]; more: number }>;
  links: Array<{ label: string; url: string }>;
}

export const MAX_SOURCES = 10;
const ERROR_CHARS = 800;
const PHASES: Phase[] = ['fetch', 'transform', 'build', 'deploy', 'notify'];

const branchOf = (ref: string) => (ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref);

function refName(ref: string): string {
  if (ref.startsWith('refs/heads/')) return `branch ${ref.slice('refs/heads/'.length)}`;
  if (ref.startsWith('refs/tags/')) return `tag ${ref.slice('refs/tags/'.length)}`;
  return `ref ${ref}`;
}

function describeTrigger(t: Trigger): { short: string; long: string } {
  if (t.kind === 'push') {
    const sha = t.sha.slice(0, 7);
    return {
      short: `${t.repo} ${branchOf(t.ref)} ${sha}`,
      long: `push to ${t.repo}, ${refName(t.ref)}, commit ${sha} by ${t.pusher} (delivery ${t.delivery})`,
    };
  }
  if (t.kind === 'reconcile') return describeReconcile(t.sources);
  if (t.kind === 'preview') {
    const pr = `${t.pr.repo}#${t.pr.number}`;
    return {
      short: `preview ${pr}`,
      long: `${t.action === 'close' ? 'closing the preview of' : 'preview of'} ${pr} "${t.pr.title}" at ${t.pr.headSha.slice(0, 7)} by ${t.pr.author}`,
    };
  }
  const which = t.sources?.length ? `sources ${t.sources.join(', ')}` : 'all sources';
  const who = t.requestedBy ? ` requested by ${t.requestedBy}` : '';
  return { short: 'manual rebuild', long: `manual rebuild${who}: ${which}, ${t.full ? 'full' : 'changed pages only'}` };
}

function describeDuration(b: BuildRecord): string | undefined {
  const phases = PHASES.filter((p) => typeof b.phases[p] === 'number').map((p) => `${p} ${formatDuration(b.phases[p] ?? 0)}`);
  const start = b.startedAt ? Date.parse(b.startedAt) : NaN;
  const end = b.finishedAt ? Date.parse(b.finishedAt) : NaN;
  const total = Number.isFinite(start) && Number.isFinite(end) && end >= start ? end - start : PHASES.reduce((sum, p) => sum + (b.phases[p] ?? 0), 0);
  if (phases.length === 0 && !(end >= start)) return undefined;
  return phases.length ? `${formatDuration(total)} (${phases.join(', ')})` : formatDuration(total);
}

function rowOf(s: SourceOutcome, repoUrl: string | undefined): SourceRow | undefined {
  const brokenLinks = s.diagnostics.filter((d) => d.kind === 'broken-link').length;
  const base = { id: s.id, authors: s.authors ?? [], pages: s.pages, brokenLinks };
  const error = s.error ? clip(s.error, ITEM_CHARS * 2) : undefined;
  if (s.state === 'failed') return { ...base, status: 'failed', ...(error ? { error } : {}) };
  if (s.state === 'stale')
    return {
      ...base,
      status: 'stale',
      ...(s.sha ? { to: s.sha.slice(0, 7) } : {}),
      ...(s.staleSince ? { since: formatTime(s.staleSince) } : {}),
      ...(error ? { error } : {}),
    };
  const changed = s.previousSha !== undefined || (s.fetched === true && (s.authors?.length ?? 0) > 0);
  if (!changed || !s.sha) return undefined;
  const row: SourceRow = { ...base, status: 'changed', to: s.sha.slice(0, 7) };
  if (s.previousSha) {
    row.from = s.previousSha.slice(0, 7);
    if (repoUrl) row.compareUrl = `${repoUrl}/compare/${s.previousSha}...${s.sha}`;
  }
  return row;
}

/** Reduce a report to what a person needs: outcome, trigger, timing, per-source results, error, links. */
export function summarizeReport(report: NotifyReport): ReportSummary {
  const b = report.build;
  const trigger = describeTrigger(b.trigger);
  const { outcome, headline, notes } = describeOutcome(b);
  const scope = report.audience ? ` (${report.audience.source})` : '';
  if (report.audience) notes.unshift(`This report covers ${report.audience.source} only: you are listed as its owner in the sources file.`);
  if (b.carried?.count) {
    const manual = b.request?.manual !== undefined || b.trigger.kind === 'manual';
    notes.push(
      `This build also carried ${plural(b.carried.count, manual ? 'earlier request' : 'earlier push', manual ? 'earlier requests' : 'earlier pushes')}.`,
    );
  }
  notes.push(...(report.warnings ?? []));

  const facts: ReportSummary['facts'] = [{ label: 'Trigger', value: clip(trigger.long, ITEM_CHARS * 2) }];
  const duration = b.state === 'skipped' || b.state === 'superseded' ? undefined : describeDuration(b);
  if (duration) facts.push({ label: 'Duration', value: duration });
  if (b.attempts > 1) facts.push({ label: 'Attempts', value: String(b.attempts) });
  const p = b.pages;
  if (p) facts.push({ label: 'Pages', value: `${p.total} total: ${p.added} added, ${p.changed} changed, ${p.removed} removed` });
  if (b.error) facts.push({ label: `Error (${b.error.phase})`, value: clip(b.error.message, ERROR_CHARS) });

  const order = { failed: 0, stale: 1, changed: 2 } as const;
  const rows = b.sources.map((s) => rowOf(s, report.repoUrls?.[s.id])).filter((r): r is SourceRow => r !== undefined);
  rows.sort((x, y) => order[x.status] - order[y.status]);
  const sources = {
    rows: rows.slice(0, MAX_SOURCES),
    more: Math.max(0, rows.length - MAX_SOURCES),
    unchanged: report.audience ? 0 : b.sources.length - rows.length,
  };

  const sections: ReportSummary['sections'] = [];
  const pushes = b.request?.pushes ?? [];
  if (pushes.length > 1 || pushes.some((x) => x.deliveries > 1)) {
    sections.push({
      heading: 'Pushes in this build',
      items: pushes
        .slice(0, MAX_SOURCES)
        .map((x) =>
          clip(`${x.repo} ${branchOf(x.ref)} → ${x.sha.slice(0, 7)} by ${x.pushers.join(', ')} (${plural(x.deliveries, 'push', 'pushes')})`, ITEM_CHARS),
        ),
      more: Math.max(0, pushes.length - MAX_SOURCES),
    });
  }
  for (const r of (b.request?.reconciled ?? (b.trigger.kind === 'reconcile' ? b.trigger.sources : [])).slice(0, MAX_SOURCES)) {
    const commits = describeCaughtUpCommits(r);
    sections.push({
      heading: `Caught up (never delivered): ${describeReconciledSource(r)}`,
      items: commits.slice(-MAX_BROKEN_LINKS).map((c) => clip(c, ITEM_CHARS)),
      more: Math.max(0, (r.totalCommits ?? commits.length) - MAX_BROKEN_LINKS),
    });
  }
  const withBroken = b.sources.filter((s) => s.diagnostics.some((d) => d.kind === 'broken-link'));
  for (const s of withBroken.slice(0, MAX_BROKEN_LINK_SOURCES)) {
    const broken = s.diagnostics.filter((d) => d.kind === 'broken-link');
    sections.push({
      heading: `Broken links in ${s.id} (${broken.length})`,
      items: broken.slice(0, MAX_BROKEN_LINKS).map((d) => clip(`${d.file}${d.line ? `:${d.line}` : ''}: ${d.message}`, ITEM_CHARS)),
      more: Math.max(0, broken.length - MAX_BROKEN_LINKS),
    });
  }
  if (withBroken.length > MAX_BROKEN_LINK_SOURCES) {
    const rest = withBroken.slice(MAX_BROKEN_LINK_SOURCES);
    sections.push({
      heading: 'Broken links in other sources',
      items: rest.slice(0, MAX_SOURCES).map((s) => `${s.id}: ${s.diagnostics.filter((d) => d.kind === 'broken-link').length}`),
      more: Math.max(0, rest.length - MAX_SOURCES),
    });
  }

  sections.push(...inboundSections(b));

  // Pages the site's renderer refused: live, but shown as text until their authors fix them.
  const asText = b.sources.flatMap((s) => s.diagnostics.filter((d) => d.kind === 'render').map((d) => `${s.id}: ${d.file}: ${d.message}`));
  if (asText.length)
    sections.push({
      heading: `Pages shown as text (${asText.length})`,
      items: asText.slice(0, MAX_BROKEN_LINKS).map((x) => clip(x, ITEM_CHARS)),
      more: Math.max(0, asText.length - MAX_BROKEN_LINKS),
    });

  const links = [
    { label: 'Site', url: report.siteUrl },
    { label: 'Build details', url: report.buildUrl },
  ];
  if (b.supersededBy && report.buildUrl.endsWith(b.id)) links.push({ label: 'Carried by', url: `${report.buildUrl.slice(0, -b.id.length)}${b.supersededBy}` });
  if (report.rebuildUrl) links.push({ label: 'Rebuild', url: report.rebuildUrl });
  return { title: clip(`Docs build ${outcome}${scope}: ${trigger.short}`, 120), headline, notes, facts, sources, sections, links: links.filter((l) => l.url) };
}
