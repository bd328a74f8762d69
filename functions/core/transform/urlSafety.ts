/**
 * URL checks shared by the link rewriter and the HTML sanitiser.
 * Browsers ignore ASCII whitespace and control characters inside a scheme (`java\tscript:`) and decode
 * character references in attribute values (`&#106;avascript:`), so both are undone before looking.
 */

const NAMED: Record<string, string> = {
  colon: ':',
  tab: '\t',
  newline: '\n',
  amp: '&',
  lpar: '(',
  rpar: ')',
  sol: '/',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
  period: '.',
  comma: ',',
  semi: ';',
  equals: '=',
  num: '#',
};

/** Decode HTML character references (numeric ones, and the few named ones that matter for URLs and CSS). */
export function decodeCharacterReferences(value: string): string {
  return value.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/**
 * The scheme of a URL, lower case, as a browser would see it; undefined for relative URLs
 * (`a/b.md`, `#x`, `?q`, `/x`, `//host/x`). A "scheme" with characters no scheme may have
 * (e.g. an undecoded `&name;`) is returned as is, so allowlists reject it.
 */
export function urlScheme(url: string): string | undefined {
  const cleaned = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const m = /^([^/?#]*?):/.exec(cleaned);
  return m?.[1] === undefined || m[1] === '' ? undefined : m[1].toLowerCase();
}

const SAFE_DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp|avif);/i;

/** True for URLs that run script when followed: javascript:, vbscript:, and data: other than raster images. */
export function isScriptUrl(url: string): boolean {
  const scheme = urlScheme(url);
  if (scheme === 'javascript' || scheme === 'vbscript' || scheme === 'livescript') return true;
  if (scheme === 'data') return !SAFE_DATA_IMAGE.test(url.replace(/[\u0000-\u0020\u007f-\u009f]/g, ''));
  return false;
}

/**
 * Whether a raw HTML attribute value may stay as a URL: relative, anchor, http(s) or mailto;
 * for images also data: raster images.
 */
export function isAllowedHtmlUrl(rawValue: string, image: boolean): boolean {
  const decoded = decodeCharacterReferences(rawValue);
  const scheme = urlScheme(decoded);
  if (scheme === undefined) return true;
  if (scheme === 'http' || scheme === 'https' || scheme === 'mailto') return true;
  return image && scheme === 'data' && SAFE_DATA_IMAGE.test(decoded.trim());
}
