/**
 * A differential fuzzer between the markdown docs-sync hands the site's renderer and the HTML that
 * comes out. Each case is a short document mixing the six shapes where the transform's markdown parser
 * (remark) and the renderer's (Sätteri) were seen to disagree, with random HTML/markdown fragments and
 * a payload that would run script. A case runs through the real pipeline: the transform
 * (transformSource: sanitising tokenizer, link rewriting, printing), the site's real renderer, and
 * the gate (sanitizeBody); findUnsafe looks at both the raw renderer output and the gate's.
 */
import { sanitizeBody } from '../../functions/core/build/sanitizeBody.ts';
import { transform } from '../transform/fixtures.ts';
import type { SeededRandom } from './seededRandom.ts';
import type { SiteRenderer } from './siteRenderer.ts';
import { findUnsafe } from './unsafeHtml.ts';

const X = "window.__xss='f'";
const PAYLOADS = [
  `<img src=x onerror="${X}">`,
  `\\<img src=x onerror=${X}>`,
  `<svg onload=${X}>`,
  `<a href="javascript:${X}">a</a>`,
  `[l](javascript:${X})`,
  `<script>${X}</script>`,
  `<iframe srcdoc="<script>${X}</script>">`,
  `<details open ontoggle=${X}>`,
  `<div style="position:fixed;inset:0">cover</div>`,
  `<a id="__svelte">x</a>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${X}>`,
  `<form><button formaction="javascript:${X}">b</button></form>`,
  `<img src="x" alt="a" title="<img src=x onerror=${X}>">`,
];
const FRAGMENTS = [
  '<',
  '>',
  '</div>',
  '<div>',
  '<!--',
  '-->',
  '`',
  '``',
  '\n',
  '\n\n',
  '    ',
  '> ',
  '- ',
  '1. ',
  '[',
  '](',
  ')',
  '"',
  "'",
  '=',
  '<details>',
  '<summary>',
  '</details>',
  '<table>',
  '<td>',
  '*',
  '_',
  '\\',
  '&lt;',
  '&#106;avascript:',
  '<region>',
  '<p>',
  '</p>',
  '<br>',
  '<center>',
  '<font color=red>',
  ':::',
  '::',
  '{',
  '}',
  '#',
  '|',
  '---',
  '<b',
  'onerror=',
  '<img',
  ' src=x',
  '\t',
];

/** The six differential shapes, each with a payload. */
const SHAPES: Array<(p: string, r: SeededRandom) => string> = [
  // A removed tag uncovers the next one, so a line now starts with an HTML tag.
  (p, r) => `${r.pick(['<script>x</script>', '<style>x</style>', '<iframe></iframe>', '<region>', '<!-- c -->', '<base href=x>'])}${p}`,
  // An HTML block that remark closes early (a closing tag inside a comment) but Sätteri keeps open.
  (p, r) => `<${r.pick(['div', 'details', 'table', 'pre'])}>\n<!-- </${r.pick(['div', 'details', 'table', 'pre'])}> -->\n${p}\n\n*text* ${p}`,
  // A rewritten link dissolves its parent, so its title becomes HTML.
  (p, r) =>
    `${r.pick(['[', '[![i](x.png "', '<a href="'])}${r.pick(['./other.md', 'missing.md', `javascript:${X}`])} "${p}")${r.pick([']', '">', ''])}(./b.md "${p}")`,
  // A code span over two lines that Sätteri reads as a fence.
  (p, r) => `${r.pick(['`', '``', '```'])}a\n${r.pick(['```', '~~~', '`'])}\n${p}\n${r.pick(['`', '```', ''])}`,
  // Directive lines only one parser parses.
  (p, r) => `${r.pick([':::note[', ':::tip{title="', '::leaf[', ':abbr[', ':::danger\n'])}${p}${r.pick([']', '"}', ''])}\n${p}\n:::`,
  // A start tag over two lines, as READMEs write them.
  (p, r) =>
    `<${r.pick(['img src="logo.png"', 'a href="x"', 'p', 'div align="center"'])}\n${r.pick([`onerror="${X}"`, 'alt="logo"', `onclick=${X}`, p])}>${r.pick(['', '\n', p])}`,
];

/** One generated document: two or three shapes, random fragments between them. */
export function fuzzCase(r: SeededRandom): string {
  const parts: string[] = [];
  for (let i = r.int(2, 3); i > 0; i--) {
    parts.push(r.pick(SHAPES)(r.pick(PAYLOADS), r));
    for (let j = r.int(0, 4); j > 0; j--) parts.push(r.next() < 0.3 ? r.pick(PAYLOADS) : r.pick(FRAGMENTS));
  }
  return parts.join(r.pick(['', '\n', '\n\n', ' ']));
}

export interface CaseResult {
  /** What runs script or loads in the renderer's own output (no gate). */
  raw: string[];
  /** What is left after the gate: must be empty. */
  gated: string[];
  html: string;
  /** The renderer refused the document (a different defect: one bad document must not fail the site). */
  error?: string;
}

/** The markdown through the transform, the real renderer and the gate. */
export async function runCase(markdown: string, renderer: SiteRenderer): Promise<CaseResult> {
  const body = transform({ 'docs/page.md': markdown, 'docs/other.md': '# Other\n' }).page('fc/page').body;
  let rendered: Awaited<ReturnType<SiteRenderer['render']>>;
  try {
    rendered = await renderer.render(body);
  } catch (err) {
    return { raw: [], gated: [], html: '', error: (err as Error).message };
  }
  const { html } = sanitizeBody(rendered);
  return { raw: findUnsafe(rendered.html, { scriptOnly: true }), gated: findUnsafe(html), html };
}
