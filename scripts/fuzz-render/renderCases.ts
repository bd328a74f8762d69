/**
 * Random documents for the render fuzzer (scripts/fuzz-render.ts): every construct the site's renderer
 * accepts — Starlight directives and asides, code fences with every meta key Expressive Code reads,
 * image and link URLs with odd characters, front matter of every YAML type (Starlight's own keys
 * included), raw HTML, MDX-looking syntax, control characters, invalid UTF-8, lone surrogates, huge
 * lines — with good and bad values, alone and mixed. Seeded: the same seed gives the same cases.
 */

import { code, directive } from './renderDirectiveCases.ts';
import { frontMatter, pageFields, starlightProps } from './renderFrontMatterCases.ts';
import { control, encoding, huge } from './renderHostileCases.ts';
import { html, markdown, mdx, url } from './renderMarkupCases.ts';
import { int, pick, type Rand, random } from './renderRandom.ts';

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
