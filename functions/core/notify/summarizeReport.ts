import type { BuildRecord, BuildReport, Phase, SourceOutcome, Trigger } from '../types.ts';

/** A build report reduced to short plain-text pieces; `formatReport` renders them. Nothing here is escaped. */
export interface ReportSummary {
  /** One line, for a mail subject or a DingTalk title. */
  title: string;
  /** One sentence: what happened. */
  headline: string;
  facts: Array<{ label: string; value: string }>;
  /** Lists of at most a few items; `more` counts what was left out. */
  sections: Array<{ heading: string; items: string[]; more: number }>;
  links: Array<{ label: string; url: string }>;
}

export const MAX_SOURCES = 10;
export const MAX_BROKEN_LINKS = 5;
const ITEM_CHARS = 200;
const ERROR_CHARS = 800;
const PHASES: Phase[] = ['fetch', 'transform', 'build', 'deploy', 'notify'];

/** Cut `text` to `max` characters (code points), marking the cut; newlines become spaces. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

/** 850 ms, 4.2 s, 37 s, 2 min 5 s, 1 h 3 min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const totalMin = Math.floor(s / 60);
  if (totalMin < 60) return `${totalMin} min ${Math.round(s % 60)} s`;
  return `${Math.floor(totalMin / 60)} h ${totalMin % 60} min`;
}

function refName(ref: string): string {
  if (ref.startsWith('refs/heads/')) return `branch ${ref.slice('refs/heads/'.length)}`;
  if (ref.startsWith('refs/tags/')) return `tag ${ref.slice('refs/tags/'.length)}`;
  return `ref ${ref}`;
}

function describeTrigger(t: Trigger): { short: string; long: string } {
  if (t.kind === 'push') {
    const sha = t.sha.slice(0, 7);
    return {
      short: `${t.repo} ${refName(t.ref).replace(/^\w+ /, '')} ${sha}`,
      long: `push to ${t.repo}, ${refName(t.ref)}, commit ${sha} by ${t.pusher} (delivery ${t.delivery})`,
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
  const total = Number.isFinite(start) && Number.isFinite(end) && end >= start
    ? end - start
    : PHASES.reduce((sum, p) => sum + (b.phases[p] ?? 0), 0);
  if (phases.length === 0 && !(end >= start)) return undefined;
  return phases.length ? `${formatDuration(total)} (${phases.join(', ')})` : formatDuration(total);
}

function describeSource(s: SourceOutcome): string {
  const diags = s.diagnostics.length;
  const counts = `${s.pages} page${s.pages === 1 ? '' : 's'}, ${diags} diagnostic${diags === 1 ? '' : 's'}`;
  if (s.state === 'failed') return clip(`${s.id}: failed${s.error ? ` (${s.error})` : ''}; ${counts}`, ITEM_CHARS);
  return clip(`${s.id}: built${s.sha ? ` at ${s.sha.slice(0, 7)}` : ''}, ${counts}`, ITEM_CHARS);
}

function headlineOf(b: BuildRecord): { outcome: string; headline: string } {
  if (b.state === 'succeeded') return { outcome: 'succeeded', headline: `Docs build ${b.id} succeeded.` };
  if (b.state === 'skipped') return { outcome: 'skipped', headline: `Docs build ${b.id} was skipped${b.reason ? `: ${clip(b.reason, ITEM_CHARS)}` : '.'}` };
  if (b.state === 'failed') {
    const where = !b.error ? '' : b.error.phase === 'queue' ? ' before it started (queue)' : ` in the ${b.error.phase} phase`;
    return { outcome: 'failed', headline: `Docs build ${b.id} failed${where}.` };
  }
  return { outcome: b.state, headline: `Docs build ${b.id} is ${b.state}.` };
}

/** Reduce a report to what a person needs: outcome, trigger, timing, per-source results, error, links. */
export function summarizeReport(report: BuildReport): ReportSummary {
  const b = report.build;
  const trigger = describeTrigger(b.trigger);
  const { outcome, headline } = headlineOf(b);
  const facts: ReportSummary['facts'] = [{ label: 'Trigger', value: clip(trigger.long, ITEM_CHARS * 2) }];
  const duration = describeDuration(b);
  if (duration) facts.push({ label: 'Duration', value: duration });
  if (b.attempts > 1) facts.push({ label: 'Attempts', value: String(b.attempts) });
  const p = b.pages;
  if (p) facts.push({ label: 'Pages', value: `${p.total} total: ${p.added} added, ${p.removed} removed, ${p.changed} changed` });
  if (b.error) facts.push({ label: `Error (${b.error.phase})`, value: clip(b.error.message, ERROR_CHARS) });

  const sections: ReportSummary['sections'] = [];
  if (b.sources.length) {
    sections.push({
      heading: 'Sources',
      items: b.sources.slice(0, MAX_SOURCES).map(describeSource),
      more: Math.max(0, b.sources.length - MAX_SOURCES),
    });
  }
  const broken = b.sources.flatMap((s) => s.diagnostics.filter((d) => d.kind === 'broken-link'));
  if (broken.length) {
    sections.push({
      heading: 'Broken links',
      items: broken.slice(0, MAX_BROKEN_LINKS).map((d) => clip(`${d.source}: ${d.file}${d.line ? `:${d.line}` : ''}: ${d.message}`, ITEM_CHARS)),
      more: Math.max(0, broken.length - MAX_BROKEN_LINKS),
    });
  }
  const links = [
    { label: 'Site', url: report.siteUrl },
    { label: 'Build details', url: report.buildUrl },
  ].filter((l) => l.url);
  return { title: clip(`Docs build ${outcome}: ${trigger.short}`, 120), headline, facts, sections, links };
}
