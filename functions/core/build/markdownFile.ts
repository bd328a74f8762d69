import { stringify } from 'yaml';

/** Front matter fields the site understands (Starlight's docs schema). */
export interface FrontMatter {
  title: string;
  description?: string;
  slug: string;
  template?: 'doc' | 'splash';
  sidebar?: { order: number };
}

/** One line of plain text: runs of white space, control characters and line separators become one space. */
export function oneLine(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
}

/**
 * Front matter text by its fields (JSON): the same 10,000 pages are written each build, and YAML's
 * stringify was most of writeContent's time. Emptied when it outgrows a large site's pages.
 */
const frontMatters = new Map<string, string>();
const MAX_REMEMBERED = 50_000;

/**
 * A markdown file: YAML front matter then the body. Strings are always double-quoted, so titles
 * with quotes, colons, `#`, Chinese or values that look like dates, numbers or booleans stay strings.
 */
export function markdownFile(front: FrontMatter, body: string): string {
  const fields: Record<string, unknown> = { title: oneLine(front.title), slug: front.slug };
  if (front.description !== undefined && oneLine(front.description) !== '') fields.description = oneLine(front.description);
  if (front.template !== undefined) fields.template = front.template;
  if (front.sidebar !== undefined && Number.isFinite(front.sidebar.order)) fields.sidebar = { order: front.sidebar.order };
  const key = JSON.stringify(fields);
  let yaml = frontMatters.get(key);
  if (yaml === undefined) {
    yaml = stringify(fields, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
    if (frontMatters.size >= MAX_REMEMBERED) frontMatters.clear();
    frontMatters.set(key, yaml);
  }
  return `---\n${yaml}---\n\n${body.replace(/^\uFEFF/, '').trimEnd()}\n`;
}

/**
 * Escape one line of text for markdown: inline syntax (emphasis, links, code, HTML, entities, tables)
 * anywhere, and block markers (heading, list, quote) at the start.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]<>&|~]/g, '\\$&')
    .replace(/^([#+=>-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}
