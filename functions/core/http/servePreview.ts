/**
 * Serving a pull request's preview (its own host, see previewHosts.ts): the preview's built site as the
 * live site is served (serveStatic), and in every HTML page, added at serve time, a banner naming the
 * PR (title, number, head commit, a link to it) styled by a stylesheet this host serves (no inline
 * script or style: the pages' Content-Security-Policy stays as built) and `<meta name="robots"
 * content="noindex">`. Every response says `X-Robots-Tag: noindex`; `/robots.txt` disallows all. Its
 * search is the preview's own `/pagefind/`. A preview that does not exist (closed, expired, never
 * built) answers 404 saying it is gone.
 */
import type { PreviewInfo } from '../deploy/previews.ts';
import { contentSecurityPolicy, OPERATOR_PAGE_POLICY } from './contentSecurityPolicy.ts';
import { escapeHtml } from './escapeHtml.ts';
import { serveStatic } from './serveStatic.ts';

/** The banner's stylesheet, served by every preview host. */
export const PREVIEW_CSS_PATH = '/_docs-sync/preview.css';

const CSS = `.ds-preview-banner{position:fixed;left:0;right:0;bottom:0;z-index:1000;display:flex;flex-wrap:wrap;gap:.25rem .75rem;justify-content:center;align-items:center;padding:.45rem 1rem;background:#9a3412;color:#fff;font:600 .875rem/1.4 system-ui,sans-serif;box-shadow:0 -2px 8px rgb(0 0 0/.3)}
.ds-preview-banner a{color:#fff;text-decoration:underline}
.ds-preview-banner code{padding:0 .3rem;border-radius:.2rem;background:rgb(255 255 255/.18);color:#fff;font-size:.8125rem}
body{padding-bottom:3rem}
`;

const NOINDEX = { 'x-robots-tag': 'noindex' };

function gone(head: boolean): Response {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Preview gone</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto"><h1>This preview is gone</h1>
<p>Its pull request was closed, or the preview expired (it was not rebuilt within the server's PREVIEW_RETENTION). Pushing to an open pull request builds its preview again.</p></body></html>`;
  return new Response(head ? null : body, {
    status: 404,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': OPERATOR_PAGE_POLICY, ...NOINDEX },
  });
}

/** The banner of a preview's pages. */
export function previewBanner(info: PreviewInfo): string {
  const { pr } = info;
  return `<div class="ds-preview-banner" role="note" data-pagefind-ignore="all"><span>Preview of pull request <a href="${escapeHtml(pr.url)}">#${pr.number} ${escapeHtml(pr.title)}</a></span><span>${escapeHtml(pr.repo)} at <code>${escapeHtml(pr.headSha.slice(0, 7))}</code></span><span>Not the live site</span></div>`;
}

/** The page with the noindex meta and the banner's stylesheet at the end of `<head>`, and the banner first in `<body>`. */
export function withBanner(html: string, info: PreviewInfo): string {
  const head = `<meta name="robots" content="noindex"><link rel="stylesheet" href="${PREVIEW_CSS_PATH}">`;
  const withHead = /<\/head\s*>/i.test(html) ? html.replace(/<\/head\s*>/i, (end) => `${head}${end}`) : head + html;
  return /<body\b[^>]*>/i.test(withHead) ? withHead.replace(/<body\b[^>]*>/i, (open) => `${open}${previewBanner(info)}`) : withHead + previewBanner(info);
}

/** Answer a request to a preview host; `preview` is the preview its host names, or undefined when there is none. */
export async function servePreview(request: Request, preview: { siteDir: string; info: PreviewInfo } | undefined): Promise<Response> {
  const head = request.method === 'HEAD';
  const path = new URL(request.url).pathname;
  const plain = (body: string, type: string) =>
    new Response(head ? null : body, { headers: { 'content-type': type, 'cache-control': 'no-cache', ...NOINDEX } });
  if (path === '/robots.txt' && (head || request.method === 'GET')) return plain('User-agent: *\nDisallow: /\n', 'text/plain; charset=utf-8');
  if (!preview) return gone(head);
  if (path === PREVIEW_CSS_PATH && (head || request.method === 'GET')) return plain(CSS, 'text/css; charset=utf-8');
  // Pages change with each build of the PR while their files may not (hard links): no ranges or validators.
  const headers = new Headers(request.headers);
  for (const name of ['range', 'if-range', 'if-none-match', 'if-modified-since']) headers.delete(name);
  const response = await serveStatic(new Request(request.url, { method: request.method, headers }), preview.siteDir);
  const out = new Headers(response.headers);
  out.set('x-robots-tag', 'noindex');
  if (!out.get('content-type')?.startsWith('text/html')) return new Response(response.body, { status: response.status, headers: out });
  for (const name of ['content-length', 'etag', 'last-modified', 'accept-ranges']) out.delete(name);
  out.set('cache-control', 'no-cache');
  if (head || !response.body) return new Response(null, { status: response.status, headers: out });
  const html = withBanner(await response.text(), preview.info);
  out.set('content-security-policy', contentSecurityPolicy(html));
  return new Response(html, { status: response.status, headers: out });
}
