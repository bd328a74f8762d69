/** Seeded randomness and odd text shared by the render fuzzer's generators (renderCases.ts). */

/** mulberry32: small, fast, good enough to pick cases. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
export const int = (r: Rand, n: number): number => Math.floor(r() * n);

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
export const oddText = (r: Rand): string => Array.from({ length: 1 + int(r, 4) }, () => pick(r, ODD) + pick(r, ['', 'a', '1', '-', '.png'])).join('');
