/**
 * A small fingerprint of a page's text (a bottom-k MinHash over word shingles), kept between builds so
 * a page that vanished from one URL can be recognised at another: git's rename detection, done on the
 * rendered pages, works the same for pushes, compares, tree syncs and cold syncs.
 */
const K = 32;
const SHINGLE = 4;

/** The K smallest 32-bit hashes of the text's 4-word shingles (sorted); empty for a text with no words. */
export function pageSketch(text: string): number[] {
  // Words of Latin letters and digits; Chinese text has no spaces, so each Han character is a word.
  const tokens = text.toLowerCase().match(/\p{Script=Han}|[a-z0-9\u00c0-\u024f]+/gu) ?? [];
  const size = Math.min(SHINGLE, tokens.length);
  const ids = tokens.map(fnv1a);
  // The K smallest distinct hashes, kept sorted (few insertions: most hashes are above the K-th).
  const best: number[] = [];
  for (let i = 0; size > 0 && i + size <= ids.length; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < i + size; j++) h = Math.imul(h ^ ids[j]!, 0x01000193);
    // A final mix (murmur3's) so nearby shingles spread over the whole range.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h >>>= 0;
    if (best.length === K && h >= best[K - 1]!) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]! > h) at--;
    if (best[at - 1] === h) continue;
    best.splice(at, 0, h);
    if (best.length > K) best.pop();
  }
  return best;
}

/** Fewer shingles than this (a stub of a few words) say too little to recognise a page by. */
const MIN_SHINGLES = 4;

/** FNV-1a, 32 bits, of a word. */
function fnv1a(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Estimated Jaccard similarity of two sketches (0 when either text is too short to tell). */
export function similarity(a: readonly number[], b: readonly number[]): number {
  if (a.length < MIN_SHINGLES || b.length < MIN_SHINGLES) return 0;
  const inA = new Set(a);
  const inB = new Set(b);
  const union = [...new Set([...a, ...b])].sort((x, y) => x - y).slice(0, K);
  const both = union.filter((h) => inA.has(h) && inB.has(h)).length;
  return both / union.length;
}
