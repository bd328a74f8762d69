/** Render fuzzer generators: front matter of every YAML type, page fields from git and the sources file, Starlight props. */

import type { RenderCase } from './renderCases.ts';
import { int, oddText, pick, type Rand } from './renderRandom.ts';

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
/** Starlight's own front matter keys: starlightProps sets them, and front matter's KEYS starts with them. */
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
const KEYS = [...STARLIGHT_KEYS, 'category', 'position', 'order', 'locale', 'i18nReady', 'tags', '"quoted key"', '? complex', '<<', '中文'];
export function frontMatter(r: Rand): string {
  const lines = Array.from({ length: 1 + int(r, 6) }, () => {
    const key = pick(r, KEYS);
    const value = pick(r, YAML_VALUES);
    return value.includes('\n') && !value.startsWith('|') && !value.startsWith('>') ? `${key}:\n  ${value.replace(/\n/g, '\n  ')}` : `${key}: ${value}`;
  });
  const close = pick(r, ['---', '---', '...', '--- ', '']);
  return `---\n${lines.join('\n')}\n${close}\n\n# Heading\n\nBody.\n`;
}

export function pageFields(r: Rand): RenderCase['page'] {
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

export function starlightProps(r: Rand): Record<string, unknown> {
  return Object.fromEntries(Array.from({ length: 1 + int(r, 3) }, () => [pick(r, STARLIGHT_KEYS), pick(r, JSON_VALUES)]));
}
