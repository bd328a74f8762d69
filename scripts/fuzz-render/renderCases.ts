/**
 * Random documents for the render fuzzer (scripts/fuzz-render.ts): every construct the site's renderer
 * accepts — Starlight directives and asides, code fences with every meta key Expressive Code reads,
 * image and link URLs with odd characters, front matter of every YAML type (Starlight's own keys
 * included), raw HTML, MDX-looking syntax, control characters, invalid UTF-8, lone surrogates, huge
 * lines — with good and bad values, alone and mixed. Seeded: the same seed gives the same cases.
 */

/** Construct classes; a case is named by the class of its first fragment (`mixed` when several). */
export const CLASSES = [
  'directive',
  'code',
  'url',
  'front-matter',
  'page-fields',
  'starlight-props',
  'html',
  'mdx',
  'control',
  'encoding',
  'huge',
  'markdown',
  'mixed',
] as const;
export type CaseClass = (typeof CLASSES)[number];

export interface RenderCase {
  id: number;
  kind: CaseClass;
  /** The file as a repository holds it (bytes: invalid UTF-8 is a case too). */
  bytes: Uint8Array;
  /** Values the pipeline could give the page besides its text (from git and the sources file). */
  page?: { lastUpdated?: string; editUrl?: string; title?: string; description?: string };
  /**
   * Front matter handed to StarlightPage as it is, past what the pipeline would ever give it (Starlight's
   * own keys, any JSON type): the page render's safety net must hold whatever it gets.
   */
  starlight?: Record<string, unknown>;
}

/** mulberry32: small, fast, good enough to pick cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

const ODD = [
  '%',
  '%zz',
  '%E4',
  '%%',
  '% ',
  '%25',
  ' ',
  '\t',
  '"',
  "'",
  '<',
  '>',
  '\\',
  '`',
  '#',
  '?',
  '&',
  '{',
  '}',
  '|',
  '^',
  '[',
  ']',
  '(',
  ')',
  '中文',
  '😀',
  '\u200b',
  '\u202e',
  '\u0000',
  '\u0007',
  '\ud800',
  '%00',
  '..',
  '//',
  ':',
];
const oddText = (r: Rand): string => Array.from({ length: 1 + int(r, 4) }, () => pick(r, ODD) + pick(r, ['', 'a', '1', '-', '.png'])).join('');
const ICONS = ['star', 'rocket', 'warning', 'information', 'error', 'nope', '', 'Star', 'seti:js', '🚀', 'constructor', '__proto__', 'toString'];
const VARIANTS = ['note', 'tip', 'caution', 'danger', 'note', 'tip', 'caution', 'danger', 'warning', 'info', 'details', 'important', 'aside', 'x', 'NOTE', ''];

function directive(r: Rand): string {
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

const LANGS = [
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
function code(r: Rand): string {
  const fence = pick(r, ['```', '~~~', '````']);
  const meta = Array.from({ length: int(r, 4) }, () => metaPart(r)).join(' ');
  const body = pick(r, ['ls -la', '- a\n+ b\n  c', '\u001b[31mred\u001b[0m', '', 'x'.repeat(300), `${oddText(r)}\n${oddText(r)}`, '```', '\t\tindented']);
  return `${fence}${pick(r, LANGS)}${meta ? ` ${meta}` : ''}\n${body}\n${pick(r, [fence, fence, ''])}\n`;
}

function url(r: Rand): string {
  const target = pick(r, [
    `./usage-50%.png`,
    `./${oddText(r)}.png`,
    `${oddText(r)}`,
    `/${oddText(r)}`,
    `https://example.com/${oddText(r)}`,
    `http://[::1`,
    `http://%`,
    `https://exa mple.com/`,
    `data:image/png;base64,${oddText(r)}`,
    `javascript:${oddText(r)}`,
    `mailto:${oddText(r)}`,
    `//${oddText(r)}`,
    `../${oddText(r)}.md#${oddText(r)}`,
    `#${oddText(r)}`,
    `a.md?x=${oddText(r)}`,
    `file:///etc/passwd`,
    `https://x/${'%'.repeat(int(r, 5) + 1)}`,
    `<${oddText(r)}>`,
    `${'a'.repeat(5000)}.png`,
  ]);
  const title = pick(r, ['', ` "${oddText(r)}"`, ` '${oddText(r)}'`, ' (t)']);
  return pick(r, [
    `![${pick(r, ['chart', '', oddText(r)])}](${target}${title})\n`,
    `[link](${target}${title})\n`,
    `![img][ref]\n\n[ref]: ${target}${title}\n`,
    `<${pick(r, ['https://', 'http://', 'mailto:'])}${oddText(r)}>\n`,
    `<img src="${target}" alt="${oddText(r)}">\n`,
    `<a href="${target}">x</a>\n`,
    `[![badge](${target})](${target})\n`,
  ]);
}

const YAML_VALUES = [
  'text',
  '"quoted"',
  "'single'",
  '123',
  '-1.5e3',
  '.inf',
  '.nan',
  'true',
  'false',
  'null',
  '~',
  '',
  '2024-01-32',
  '2024-01-01',
  '2024-01-01T10:00:00Z',
  '[]',
  '[a, b]',
  '{}',
  '{a: 1}',
  '|\n  block\n  text',
  '>\n  folded',
  '&a x',
  '*a',
  '!!binary aGk=',
  '!!timestamp 2001-12-14',
  '!!str 1',
  '!!int x',
  '!custom x',
  '"\\u0000"',
  '"\\ud800"',
  '0x1F',
  '0o17',
  'yes',
  'no',
  'on',
  '"<script>x</script>"',
  '[unclosed',
  '{a: [1, {b: 2}]}',
  '- a\n  - b',
];
const KEYS = [
  'title',
  'description',
  'template',
  'hero',
  'sidebar',
  'head',
  'tableOfContents',
  'lastUpdated',
  'prev',
  'next',
  'banner',
  'pagefind',
  'draft',
  'editUrl',
  'slug',
  'category',
  'position',
  'order',
  'locale',
  'i18nReady',
  'tags',
  '"quoted key"',
  '? complex',
  '<<',
  '中文',
];
function frontMatter(r: Rand): string {
  const lines = Array.from({ length: 1 + int(r, 6) }, () => {
    const key = pick(r, KEYS);
    const value = pick(r, YAML_VALUES);
    return value.includes('\n') && !value.startsWith('|') && !value.startsWith('>') ? `${key}:\n  ${value.replace(/\n/g, '\n  ')}` : `${key}: ${value}`;
  });
  const close = pick(r, ['---', '---', '...', '--- ', '']);
  return `---\n${lines.join('\n')}\n${close}\n\n# Heading\n\nBody.\n`;
}

function html(r: Rand): string {
  return `${pick(r, [
    '<div>unclosed',
    '</div></div>',
    '<details><summary>S</summary>\n\ntext\n',
    '<br>',
    '<br/>',
    '<img>',
    '<img src>',
    `<img src=${oddText(r)}>`,
    '<!-- comment',
    '<![CDATA[x]]>',
    '<!DOCTYPE html>',
    '<svg><circle r="1"/></svg>',
    '<math><mi>x</mi></math>',
    '<table><tr><td>x',
    '&#0;',
    '&#xD800;',
    '&#x110000;',
    '&nbsp',
    '&unknown;',
    '<script>x</script>',
    '<style>p{}</style>',
    `<font color="${oddText(r)}">x</font>`,
    '<center>c</center>',
    '<a name="x">',
    '<p align="center"><img src="./a.png" width="100"></p>',
    '<template><p>x</p></template>',
    '<textarea><p>x</textarea>',
    '<kbd>Ctrl</kbd>+<kbd>C</kbd>',
    '<img src="logo.png"\nalt="logo">',
    `<${oddText(r)}>`,
    '<a href="#" id="__proto__">x</a>',
    '<h2 id="">empty id</h2>',
  ])}\n`;
}

function mdx(r: Rand): string {
  return `${pick(r, [
    '{expression}',
    '{/* comment */}',
    '{',
    '}',
    '<Component />',
    '<Component prop={1}>x</Component>',
    "import x from 'y'",
    'export const a = 1;',
    '<>fragment</>',
    '<Tabs>\n<TabItem label="a">x</TabItem>\n</Tabs>',
    '{props.x}',
    '<Aside type="tip">x</Aside>',
    'import { Card } from \'@astrojs/starlight/components\';\n\n<Card title="x">y</Card>',
    '$x$',
    '$$\nx\n$$',
    '{{ template }}',
    '{% raw %}x{% endraw %}',
  ])}\n`;
}

function control(r: Rand): string {
  const chars = [
    '\u0000',
    '\u0001',
    '\u0007',
    '\b',
    '\u000b',
    '\f',
    '\r',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u009f',
    '\u2028',
    '\u2029',
    '\ufeff',
    '\ufffe',
    '\uffff',
    '\ud800',
    '\udfff',
    '\ud83d',
    '\u202e',
    '\u200d',
    '\u0300',
  ];
  const s = Array.from({ length: 1 + int(r, 8) }, () => pick(r, chars)).join(pick(r, ['', 'x', ' ']));
  return pick(r, [
    `# Title ${s}\n\nText ${s}\n`,
    `## ${s}\n`,
    `[${s}](#${s})\n`,
    `\`${s}\`\n`,
    `\`\`\`${pick(r, LANGS)}\n${s}\n\`\`\`\n`,
    `:::note[${s}]\n${s}\n:::\n`,
    `| ${s} |\n|---|\n| ${s} |\n`,
    `${s}\n`,
  ]);
}

function huge(r: Rand): string {
  const n = pick(r, [10_000, 100_000, 300_000]);
  return pick(r, [
    `${'a'.repeat(n)}\n`,
    `# ${'h'.repeat(n / 10)}\n`,
    `\`\`\`js\n${'x'.repeat(n)}\n\`\`\`\n`,
    `${Array.from({ length: 2000 }, (_, i) => `## H ${i % 7}`).join('\n\n')}\n`,
    `| ${Array.from({ length: 200 }, (_, i) => `c${i}`).join(' | ')} |\n|${'---|'.repeat(200)}\n`,
    `${'*'.repeat(n / 10)}x\n`,
    `${'['.repeat(n / 100)}x${']'.repeat(n / 100)}\n`,
    `${'`'.repeat(n / 100)}\n`,
  ]);
}

function markdown(r: Rand): string {
  return pick(r, [
    '# H {#custom-id}\n',
    '## \n',
    '######## seven\n',
    'Text[^1].\n\n[^1]: Note.\n',
    '[^x]\n',
    '- [ ] task\n- [x] done\n',
    '| a | b |\n|---|\n| 1 | 2 | 3 |\n',
    '| a |\n|:-:|\n',
    '***\n---\n___\n',
    '> [!NOTE]\n> GitHub alert\n',
    '> [!nope]\n> x\n',
    '~~strike~~ **bold** _em_\n',
    'line  \nbreak\\\nnext\n',
    '1) one\n2) two\n',
    '    indented code\n',
    '## `code` heading\n',
    '## [link](x) heading\n',
    `## ${oddText(r)}\n`,
    'Setext\n===\n',
    '#\n',
    '<https://example.com>\n',
    'www.example.com\n',
    '::: \n',
    ':::\n',
  ]);
}

const FRAGMENTS: Record<Exclude<CaseClass, 'mixed' | 'encoding' | 'page-fields' | 'starlight-props' | 'front-matter'>, (r: Rand) => string> = {
  directive,
  code,
  url,
  html,
  mdx,
  control,
  huge,
  markdown,
};

function encoding(r: Rand): Uint8Array {
  const good = Buffer.from(`# Bytes\n\n${markdown(r)}`);
  const bad = pick(r, [[0xff], [0xc3], [0xe4, 0xb8], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x80], [0xfe, 0xff], [0xef, 0xbb, 0xbf]]);
  const at = int(r, good.length + 1);
  return Buffer.concat([good.subarray(0, at), Buffer.from(bad), good.subarray(at)]);
}

function pageFields(r: Rand): RenderCase['page'] {
  return {
    ...(r() < 0.5
      ? { lastUpdated: pick(r, ['2024-01-01T00:00:00Z', 'not a date', '', '2024-13-45', '0', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00.001Z']) }
      : {}),
    ...(r() < 0.5
      ? {
          editUrl: pick(r, [
            'https://github.com/o/r/edit/main/docs/a.md',
            'not a url',
            '',
            `https://github.com/o/r/edit/main/${oddText(r)}`,
            'javascript:alert(1)',
            'ftp://x/y',
          ]),
        }
      : {}),
    ...(r() < 0.5 ? { title: pick(r, ['', ' ', oddText(r), 'x'.repeat(5000), '\u0000', '\ud800']) } : {}),
    ...(r() < 0.5 ? { description: pick(r, ['', oddText(r), 'd'.repeat(5000)]) } : {}),
  };
}

const STARLIGHT_KEYS = [
  'title',
  'description',
  'template',
  'hero',
  'sidebar',
  'head',
  'tableOfContents',
  'lastUpdated',
  'prev',
  'next',
  'banner',
  'pagefind',
  'draft',
  'editUrl',
  'slug',
];
const JSON_VALUES: unknown[] = [
  5,
  -1,
  0,
  // biome-ignore lint/correctness/noPrecisionLoss: 1e309 is Infinity on purpose (a YAML number JSON cannot hold).
  1e309,
  '',
  'x',
  'splash',
  'doc',
  true,
  false,
  null,
  [],
  ['a'],
  {},
  { tagline: 5 },
  { actions: [{ text: 1 }] },
  { minHeadingLevel: 9 },
  { content: 1 },
  [{ tag: 'script', attrs: {} }],
  [{ tag: 'x' }],
  '2024-01-01',
  'not a date',
  { link: 5 },
  { label: [] },
];

function starlightProps(r: Rand): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: 1 + int(r, 3) }, () => [pick(r, STARLIGHT_KEYS), pick(r, JSON_VALUES)]));
}

/** Case number `id` of the run seeded with `seed`. */
export function renderCase(seed: number, id: number): RenderCase {
  const r = random(seed * 1_000_003 + id);
  const kind = pick(r, CLASSES);
  if (kind === 'encoding') return { id, kind, bytes: encoding(r) };
  if (kind === 'front-matter') return { id, kind, bytes: Buffer.from(frontMatter(r)) };
  if (kind === 'starlight-props') return { id, kind, bytes: Buffer.from(`# Props\n\n${markdown(r)}`), starlight: starlightProps(r) };
  if (kind === 'page-fields') return { id, kind, bytes: Buffer.from(`# Page\n\n${markdown(r)}`), page: pageFields(r) };
  const classes = Object.keys(FRAGMENTS) as Array<keyof typeof FRAGMENTS>;
  const parts = kind === 'mixed' ? Array.from({ length: 2 + int(r, 3) }, () => FRAGMENTS[pick(r, classes)](r)) : [FRAGMENTS[kind](r)];
  return { id, kind, bytes: Buffer.from(`# Case ${id}\n\n${parts.join('\n')}`) };
}
