import type { NotifyReport } from './Notifier.ts';
import { summarizeReport, type ReportSummary, type SourceRow } from './summarizeReport.ts';
import { escapeHtml } from '../http/escapeHtml.ts';
import { plural } from './wording.ts';

export interface FormattedReport {
  /** One line: mail subject, DingTalk title. */
  title: string;
  /** Plain text (mail text part, logs). */
  text: string;
  /** DingTalk-flavoured markdown. */
  markdown: string;
  /** A small self-contained HTML document (mail HTML part). */
  html: string;
}

/** DingTalk rejects markdown much over 20 KB; stay clear of it, leaving room for a keyword line. */
export const MAX_MARKDOWN_BYTES = 18_000;

const more = (n: number) => `… and ${n} more`;
const isHttp = (url: string) => /^https?:\/\//i.test(url);

export { escapeHtml };

/** Neutralise markdown syntax in text that came from sources, commits or errors. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/[\\`*_[\]<>#|~]/g, '\\$&');
}

/** Cut a UTF-8 string to at most `max` bytes without splitting a character. */
export function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  let bytes = Buffer.byteLength('\n\n…');
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    out += ch;
  }
  return `${out}\n\n…`;
}

/** How one output format writes text and links. */
interface Style {
  esc: (text: string) => string;
  link: (label: string, url: string) => string;
}

const TEXT: Style = { esc: (t) => t, link: (label, url) => `${label} (${url})` };
const MARKDOWN: Style = {
  esc: escapeMarkdown,
  link: (label, url) =>
    isHttp(url) ? `[${escapeMarkdown(label)}](${url.replace(/[()\s]/g, (c) => encodeURIComponent(c))})` : `${escapeMarkdown(label)}: ${escapeMarkdown(url)}`,
};
const HTML: Style = {
  esc: escapeHtml,
  link: (label, url) => (isHttp(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : `${escapeHtml(label)}: ${escapeHtml(url)}`),
};

function commitOf(r: SourceRow, s: Style): string {
  if (!r.to) return '';
  const shas = r.from ? `${r.from} → ${r.to}` : r.status === 'changed' ? `now at ${r.to}` : `at ${r.to}`;
  return r.compareUrl ? s.link(shas, r.compareUrl) : s.esc(shas);
}

/** One line per source that changed, is stale or failed. */
function rowLine(r: SourceRow, s: Style, strong: (t: string) => string): string {
  const id = strong(s.esc(r.id));
  const error = r.error ? `; error: ${s.esc(r.error)}` : '';
  if (r.status === 'failed') return `${id}: failed, left out of the site${error}`;
  if (r.status === 'stale') {
    const copy = `the copy fetched ${r.since ?? 'earlier'}${r.to ? ` (at ${r.to})` : ''}`;
    return `${id}: stale, the site still serves ${s.esc(copy)}${error}`;
  }
  const by = r.authors.length ? ` by ${s.esc(r.authors.join(', '))}` : '';
  const counts = `${plural(r.pages, 'page')}${r.brokenLinks ? `, ${plural(r.brokenLinks, 'broken link')}` : ''}`;
  return `${id}: ${commitOf(r, s)}${by}; ${counts}`;
}

const unchangedLine = (n: number) => `${n} other source${n === 1 ? '' : 's'} unchanged`;

function renderText(x: ReportSummary): string {
  const lines = [x.headline];
  if (x.notes.length) lines.push('', ...x.notes);
  lines.push('', ...x.facts.map((f) => `${f.label}: ${f.value}`));
  if (x.sources.rows.length || x.sources.unchanged) {
    lines.push('', 'Sources:', ...x.sources.rows.map((r) => `- ${rowLine(r, TEXT, (t) => t)}`));
    if (x.sources.more) lines.push(`- ${more(x.sources.more)}`);
    if (x.sources.unchanged) lines.push(`- ${unchangedLine(x.sources.unchanged)}`);
  }
  for (const sec of x.sections) {
    lines.push('', `${sec.heading}:`, ...sec.items.map((i) => `- ${i}`));
    if (sec.more) lines.push(`- ${more(sec.more)}`);
  }
  lines.push('', ...x.links.map((l) => `${l.label}: ${l.url}`));
  return `${lines.join('\n').trim()}\n`;
}

function renderMarkdown(x: ReportSummary): string {
  const bold = (t: string) => `**${t}**`;
  const blocks = [`#### ${escapeMarkdown(x.title)}`, bold(escapeMarkdown(x.headline))];
  if (x.notes.length) blocks.push(x.notes.map((n) => `> ${escapeMarkdown(n)}`).join('\n>\n'));
  if (x.facts.length) blocks.push(x.facts.map((f) => `- **${escapeMarkdown(f.label)}:** ${escapeMarkdown(f.value)}`).join('\n'));
  if (x.sources.rows.length || x.sources.unchanged) {
    const items = x.sources.rows.map((r) => `- ${rowLine(r, MARKDOWN, bold)}`);
    if (x.sources.more) items.push(`- ${more(x.sources.more)}`);
    if (x.sources.unchanged) items.push(`- ${unchangedLine(x.sources.unchanged)}`);
    blocks.push('**Sources**', items.join('\n'));
  }
  for (const sec of x.sections) {
    const items = sec.items.map((i) => `- ${escapeMarkdown(i)}`);
    if (sec.more) items.push(`- ${more(sec.more)}`);
    blocks.push(`**${escapeMarkdown(sec.heading)}**`, items.join('\n'));
  }
  const tail = x.links.length ? `\n\n${x.links.map((l) => MARKDOWN.link(l.label, l.url)).join(' | ')}` : '';
  return clipBytes(blocks.join('\n\n'), MAX_MARKDOWN_BYTES - Buffer.byteLength(tail)) + tail;
}

function sourceTable(x: ReportSummary): string {
  const th = (t: string) => `<th align="left" style="padding:4px 8px;border-bottom:1px solid #ccc">${t}</th>`;
  const td = (t: string) => `<td valign="top" style="padding:4px 8px;border-bottom:1px solid #eee">${t}</td>`;
  const status = { changed: 'changed', stale: '<strong style="color:#b45309">stale</strong>', failed: '<strong style="color:#b91c1c">failed</strong>' };
  const rows = x.sources.rows.map((r) => {
    const notes = [
      r.status === 'stale' ? `still serving the copy fetched ${r.since ?? 'earlier'}` : r.status === 'failed' ? 'left out of the site' : '',
      r.error ? `error: ${r.error}` : '',
    ]
      .filter(Boolean)
      .map(escapeHtml)
      .join('<br>');
    const pages = `${r.pages}${r.brokenLinks ? ` (${plural(r.brokenLinks, 'broken link')})` : ''}`;
    const commit = `<span style="white-space:nowrap">${commitOf(r, HTML)}</span>`;
    return `<tr>${[escapeHtml(r.id), status[r.status], commit, escapeHtml(r.authors.join(', ')), pages, notes].map(td).join('')}</tr>`;
  });
  const wide = (t: string) => `<tr><td colspan="6" style="padding:4px 8px;color:#555">${escapeHtml(t)}</td></tr>`;
  if (x.sources.more) rows.push(wide(more(x.sources.more)));
  if (x.sources.unchanged) rows.push(wide(unchangedLine(x.sources.unchanged)));
  const head = `<tr>${['Source', 'Status', 'Commit', 'By', 'Pages', 'Notes'].map(th).join('')}</tr>`;
  return `<table cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:8px 0">${head}${rows.join('')}</table>`;
}

function renderHtml(x: ReportSummary): string {
  const parts = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(x.title)}</title></head>`,
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5;color:#222">',
    `<p><strong>${escapeHtml(x.headline)}</strong></p>`,
    ...x.notes.map((n) => `<p>${escapeHtml(n)}</p>`),
  ];
  if (x.facts.length) {
    const rows = x.facts.map(
      (f) => `<tr><th align="left" valign="top" style="padding-right:12px">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`,
    );
    parts.push(`<table cellpadding="2" cellspacing="0">${rows.join('')}</table>`);
  }
  if (x.sources.rows.length || x.sources.unchanged) parts.push('<h3 style="font-size:15px;margin:16px 0 4px">Sources</h3>', sourceTable(x));
  for (const sec of x.sections) {
    const items = sec.items.map((i) => `<li>${escapeHtml(i)}</li>`);
    if (sec.more) items.push(`<li>${escapeHtml(more(sec.more))}</li>`);
    parts.push(`<h3 style="font-size:15px;margin:16px 0 4px">${escapeHtml(sec.heading)}</h3><ul>${items.join('')}</ul>`);
  }
  if (x.links.length) parts.push(`<p>${x.links.map((l) => HTML.link(l.label, l.url)).join(' &middot; ')}</p>`);
  parts.push('</body></html>');
  return `${parts.join('\n')}\n`;
}

/** Render a build report as a title, plain text, DingTalk markdown and escaped HTML, all kept short. */
export function formatReport(report: NotifyReport): FormattedReport {
  const x = report.notice ?? summarizeReport(report);
  return { title: x.title, text: renderText(x), markdown: renderMarkdown(x), html: renderHtml(x) };
}
