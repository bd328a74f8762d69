/** Render fuzzer generators: Starlight directives and asides, code fences with Expressive Code meta keys. */

import { int, oddText, pick, type Rand } from './renderRandom.ts';

const ICONS = ['star', 'rocket', 'warning', 'information', 'error', 'nope', '', 'Star', 'seti:js', '🚀', 'constructor', '__proto__', 'toString'];
const VARIANTS = ['note', 'tip', 'caution', 'danger', 'note', 'tip', 'caution', 'danger', 'warning', 'info', 'details', 'important', 'aside', 'x', 'NOTE', ''];

export function directive(r: Rand): string {
  const name = pick(r, VARIANTS);
  const attrs = pick(r, [
    '',
    `{icon="${pick(r, ICONS)}"}`,
    `{icon="${pick(r, ICONS)}"}`,
    `{icon="${pick(r, ICONS)}"}`,
    `{icon=${pick(r, ICONS)}}`,
    `{title="${oddText(r)}"}`,
    `{.cls #id}`,
    `{icon}`,
    `{${oddText(r)}}`,
    '{icon="star" icon="nope"}',
    '{',
    `{class="${oddText(r)}"}`,
  ]);
  const label = pick(r, ['', '[Title]', `[${oddText(r)}]`, '[]', '[**bold** `code`]', '[unclosed']);
  const body = pick(r, ['Text.', '', '- a\n- b', '```js\nx\n```', ':::tip\nnested\n:::', `${oddText(r)}`]);
  const close = pick(r, [':::', ':::', '', '::::', '::: ']);
  const shape = int(r, 4);
  if (shape === 0) return `:::${name}${label}${attrs}\n${body}\n${close}\n`;
  if (shape === 1) return `::${name}${label}${attrs}\n`;
  if (shape === 2) return `Text :${name}${label}${attrs} more.\n`;
  return `::::${name}${attrs}\n:::${pick(r, VARIANTS)}${label}\n${body}\n:::\n::::\n`;
}

export const LANGS = [
  'sh',
  'js',
  'ts',
  'yaml',
  'json',
  'diff',
  'ansi',
  'txt',
  '',
  'nope',
  'c++',
  'md',
  'mdx',
  'html',
  'shell-session',
  'powershell',
  '中文',
  '{',
  'sh{1}',
  'js title',
];
function metaPart(r: Rand): string {
  const v = (good: string[], bad: string[]): string => pick(r, r() < 0.5 ? good : bad);
  return pick(r, [
    `frame="${v(['code', 'terminal', 'none', 'auto'], ['terminall', '', 'Code', oddText(r)])}"`,
    `title="${v(['a.js', '中文.md'], [oddText(r), '"', ''])}"`,
    `title=${oddText(r)}`,
    `wrap${v(['', '=true', '=false'], ['=maybe', '=1', '='])}`,
    `preserveIndent${v(['', '=false'], ['=x'])}`,
    `hangingIndent=${v(['2', '0'], ['-1', 'x', '1e9', '99999999999'])}`,
    `useDiffSyntaxHighlighting${v(['', '=true'], ['=2'])}`,
    `lang="${pick(r, LANGS)}"`,
    `{${v(['1', '1-3', '2,4'], ['3-1', '0', '-1', 'a', '99999', '1-', ''])}}`,
    `${pick(r, ['mark', 'ins', 'del'])}={${v(['1', '2-3'], ['x', '3-1', '0', '1e9'])}}`,
    `${pick(r, ['mark', 'ins', 'del'])}="${v(['x', 'const'], ['', oddText(r)])}"`,
    `${pick(r, ['mark', 'ins', 'del'])}=/${v(['x', 'a(b)'], ['(', '[', '\\', '*', '(?<', ''])}/`,
    `/${v(['x', 'a|b'], ['(', '[', '\\', '+', ''])}/`,
    `"${v(['x'], ['', '"'])}"`,
    oddText(r),
  ]);
}
export function code(r: Rand): string {
  const fence = pick(r, ['```', '~~~', '````']);
  const meta = Array.from({ length: int(r, 4) }, () => metaPart(r)).join(' ');
  const body = pick(r, ['ls -la', '- a\n+ b\n  c', '\u001b[31mred\u001b[0m', '', 'x'.repeat(300), `${oddText(r)}\n${oddText(r)}`, '```', '\t\tindented']);
  return `${fence}${pick(r, LANGS)}${meta ? ` ${meta}` : ''}\n${body}\n${pick(r, [fence, fence, ''])}\n`;
}
