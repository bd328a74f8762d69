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
 * A markdown file: YAML front matter then the body. Strings are always double-quoted, so titles
 * with quotes, colons, `#`, Chinese or values that look like dates, numbers or booleans stay strings.
 */
export function markdownFile(front: FrontMatter, body: string): string {
  const fields: Record<string, unknown> = { title: oneLine(front.title), slug: front.slug };
  if (front.description !== undefined && oneLine(front.description) !== '') fields.description = oneLine(front.description);
  if (front.template !== undefined) fields.template = front.template;
  if (front.sidebar !== undefined && Number.isFinite(front.sidebar.order)) fields.sidebar = { order: front.sidebar.order };
  const yaml = stringify(fields, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
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
