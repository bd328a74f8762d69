/**
 * HTTP byte ranges for the site's static files (RFC 9110 §14): `<video>` in docs and resumable
 * downloads ask for parts of a file. Deliberately strict and small: exactly one range is served as
 * 206; several ranges, other units or anything malformed are ignored (the whole file, 200), which the
 * RFC allows and which spares us multipart/byteranges; a lone range past the end is 416.
 */

export type RangeAnswer = { start: number; end: number } | 'unsatisfiable' | undefined;

/** One `bytes=first-last`, `bytes=first-` or `bytes=-suffix`, digits only (no signs, no hex, no spaces within). */
const ONE_RANGE = /^bytes[ \t]*=[ \t]*(?:(\d{1,15})-(\d{0,15})|-(\d{1,15}))[ \t]*$/i;

/**
 * The part of a `size`-byte file a Range header asks for (inclusive `end`), 'unsatisfiable' for a
 * single range that starts beyond the end (or an empty suffix), undefined when the header should be
 * ignored and the whole file sent.
 */
export function parseByteRange(header: string | null, size: number): RangeAnswer {
  if (header === null) return undefined;
  const m = ONE_RANGE.exec(header);
  if (!m) return undefined;
  if (m[3] !== undefined) {
    const suffix = Number(m[3]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? Infinity : Number(m[2]);
  if (last < start) return undefined; // invalid range-spec: ignore the header (RFC 9110 §14.1.1)
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(last, size - 1) };
}

/**
 * Whether an `If-Range` precondition lets the range apply. Our ETags are weak and If-Range compares
 * strongly, so only the date form can match: exactly the file's Last-Modified (RFC 9110 §13.1.5).
 * A mismatch means the client's copy is outdated: it gets the whole file.
 */
export function ifRangeHolds(ifRange: string | null, lastModified: string): boolean {
  if (ifRange === null) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return false;
  const date = Date.parse(value);
  return !Number.isNaN(date) && date === Date.parse(lastModified);
}
