import type { BuildReport } from '../types.ts';
import { summarizeReport, type ReportSummary } from './summarizeReport.ts';

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

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

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

function renderText(s: ReportSummary): string {
  const lines = [s.headline, '', ...s.facts.map((f) => `${f.label}: ${f.value}`)];
  for (const sec of s.sections) {
    lines.push('', `${sec.heading}:`, ...sec.items.map((i) => `- ${i}`));
    if (sec.more) lines.push(`- ${more(sec.more)}`);
  }
  lines.push('', ...s.links.map((l) => `${l.label}: ${l.url}`));
  return `${lines.join('\n').trim()}\n`;
}

function mdLink(label: string, url: string): string {
  if (!isHttp(url)) return `${label}: ${escapeMarkdown(url)}`;
  return `[${label}](${url.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
}

function renderMarkdown(s: ReportSummary): string {
  const blocks = [`#### ${escapeMarkdown(s.title)}`, `**${escapeMarkdown(s.headline)}**`];
  if (s.facts.length) blocks.push(s.facts.map((f) => `- **${escapeMarkdown(f.label)}:** ${escapeMarkdown(f.value)}`).join('\n'));
  for (const sec of s.sections) {
    const items = sec.items.map((i) => `- ${escapeMarkdown(i)}`);
    if (sec.more) items.push(`- ${more(sec.more)}`);
    blocks.push(`**${escapeMarkdown(sec.heading)}**`, items.join('\n'));
  }
  if (s.links.length) blocks.push(s.links.map((l) => mdLink(l.label, l.url)).join(' | '));
  return clipBytes(blocks.join('\n\n'), MAX_MARKDOWN_BYTES);
}

function htmlLink(label: string, url: string): string {
  const text = escapeHtml(label);
  return isHttp(url) ? `<a href="${escapeHtml(url)}">${text}</a>` : `${text}: ${escapeHtml(url)}`;
}

function renderHtml(s: ReportSummary): string {
  const parts = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>' + escapeHtml(s.title) + '</title></head>',
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5;color:#222">',
    `<p><strong>${escapeHtml(s.headline)}</strong></p>`,
  ];
  if (s.facts.length) {
    const rows = s.facts.map((f) => `<tr><th align="left" valign="top" style="padding-right:12px">${escapeHtml(f.label)}</th><td>${escapeHtml(f.value)}</td></tr>`);
    parts.push(`<table cellpadding="2" cellspacing="0">${rows.join('')}</table>`);
  }
  for (const sec of s.sections) {
    const items = sec.items.map((i) => `<li>${escapeHtml(i)}</li>`);
    if (sec.more) items.push(`<li>${escapeHtml(more(sec.more))}</li>`);
    parts.push(`<h3 style="font-size:15px;margin:16px 0 4px">${escapeHtml(sec.heading)}</h3><ul>${items.join('')}</ul>`);
  }
  if (s.links.length) parts.push(`<p>${s.links.map((l) => htmlLink(l.label, l.url)).join(' &middot; ')}</p>`);
  parts.push('</body></html>');
  return `${parts.join('\n')}\n`;
}

/** Render a build report as a title, plain text, DingTalk markdown and escaped HTML, all kept short. */
export function formatReport(report: BuildReport): FormattedReport {
  const s = summarizeReport(report);
  return { title: s.title, text: renderText(s), markdown: renderMarkdown(s), html: renderHtml(s) };
}
