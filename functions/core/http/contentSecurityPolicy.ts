/**
 * The Content-Security-Policy of every site page, so that script a future sanitiser bypass might slip
 * into a body still cannot run. No inline script runs unless its hash is listed, and only the inline
 * scripts Astro and Starlight render around the body are (the theme, search and sidebar scripts): the
 * site's middleware (site/src/middleware.ts) hashes the page's inline scripts *outside its body* and
 * writes the policy as the first element of `<head>`. (Astro's own `security.csp` hashes only the
 * scripts it bundles, not Starlight's `is:inline` ones, so it cannot be used as it is.)
 * The server sends the same policy as a header (serveStatic), which also carries what a `<meta>` policy
 * cannot (`frame-ancestors`); any deploy target that stores headers with files (object storage
 * metadata) calls contentSecurityPolicy() with the page's HTML.
 */
import { createHash } from 'node:crypto';

/** Everything but scripts. Style attributes are allowed: bodies keep only harmless ones (safeStyle.ts). */
const BASE = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' https: data:",
  "media-src 'self' https:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-src 'none'",
];
/** Scripts from the site itself; Pagefind's search runs WebAssembly. */
const SCRIPTS = "script-src 'self' 'wasm-unsafe-eval'";
/** Directives a `<meta>` policy cannot carry. */
const HEADER_ONLY = ["frame-ancestors 'self'"];

const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const META = /<meta http-equiv="content-security-policy" content="([^"]*)">/i;

/** The policy of a page whose inline scripts outside `body` (the page's body HTML, as inserted) are the site's own. */
export function pagePolicy(html: string, body = ''): string {
  const at = body === '' ? -1 : html.indexOf(body);
  const around = at === -1 ? html : html.slice(0, at) + html.slice(at + body.length);
  const hashes = new Set<string>();
  for (const [, attributes, code] of around.matchAll(INLINE_SCRIPT)) {
    if (/\ssrc\s*=/i.test(attributes ?? '')) continue;
    hashes.add(
      `'sha256-${createHash('sha256')
        .update(code ?? '')
        .digest('base64')}'`,
    );
  }
  return [...BASE, [SCRIPTS, ...[...hashes].sort()].join(' ')].join('; ');
}

/** The page with its policy as the first element of `<head>` (a policy applies only to what follows it). */
export function withPolicyMeta(html: string, body = ''): string {
  const policy = pagePolicy(html, body);
  return html.replace(/<head(\s[^>]*)?>/i, (head) => `${head}<meta http-equiv="content-security-policy" content="${policy}">`);
}

/** The header value for a page, given its HTML (at least up to `</head>`): its own policy, else no inline script at all. */
export function contentSecurityPolicy(html: string): string {
  const headEnd = html.search(/<\/head\s*>|<body[\s>]/i);
  const own = headEnd === -1 ? undefined : META.exec(html.slice(0, headEnd))?.[1];
  const scripts = own
    ?.split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('script-src '));
  const strict = scripts !== undefined && !/'unsafe-inline'|\*|\s(data|https?):/.test(scripts);
  const policy = strict && own !== undefined ? own : [...BASE, SCRIPTS].join('; ');
  return [policy, ...HEADER_ONLY].join('; ');
}

/**
 * The policy of docs-sync's own pages (build status, login, rebuild confirmation): no script at all,
 * their inline style, forms that post only to this server, never framed.
 */
export const OPERATOR_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
