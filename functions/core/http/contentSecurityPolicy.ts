/**
 * The Content-Security-Policy header of a site page, so that script a future sanitiser bypass might slip
 * into a body still cannot run. Astro writes each page's policy into its `<head>` (`security.csp` in
 * site/astro.config.mjs): the hashes of the inline scripts Astro and Starlight render themselves, none
 * for anything inside the body. The header repeats that policy, which an HTTP header enforces before
 * the page's first byte is parsed, and adds what only a header can say (`frame-ancestors`). A page
 * without one (not built by Astro) gets a strict default. Any server or deploy target that stores
 * headers with files (object storage metadata) can call it with the page's HTML.
 */

/** Directives a `<meta>` policy cannot carry. */
const HEADER_ONLY = ["frame-ancestors 'self'"];

/** For HTML that carries no policy of its own: no inline script at all. */
export const DEFAULT_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' https: data:",
  "media-src 'self' https:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-src 'none'",
];

const META = /<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"\s*\/?>/i;

const decode = (s: string): string => s.replace(/&#39;|&#x27;|&apos;/g, "'").replace(/&quot;|&#34;/g, '"').replace(/&amp;/g, '&');

/** The header value for a page, given its HTML (at least up to `</head>`). */
export function contentSecurityPolicy(html: string): string {
  const headEnd = html.search(/<\/head\s*>|<body[\s>]/i);
  const found = headEnd === -1 ? undefined : META.exec(html.slice(0, headEnd))?.[1];
  const policy = found === undefined ? DEFAULT_POLICY : decode(found).split(';').map((d) => d.trim()).filter((d) => d !== '');
  // A page's own policy must restrict scripts; otherwise the default does.
  const directives = policy.some((d) => /^script-src\s/.test(d) && !d.includes("'unsafe-inline'")) ? policy : DEFAULT_POLICY;
  return [...directives, ...HEADER_ONLY].join('; ');
}
