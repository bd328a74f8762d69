/**
 * The preview's HTTP handler: the built site as the live server serves it (createSiteHandler over the
 * preview's own data folder), plus the reload channel, with the reload script tag added to HTML pages
 * only here — never in a release that could go live.
 */
import { createSiteHandler } from '../local/createSiteHandler.ts';
import { RELOAD_SCRIPT_PATH, type ReloadChannel } from './createReloadChannel.ts';

const TAG = `<script src="${RELOAD_SCRIPT_PATH}" defer></script>`;

/** `html` with the reload script tag before `</head>` (or at the end when there is no head). */
export function injectReloadScript(html: string): string {
  const at = html.search(/<\/head\s*>/i);
  return at < 0 ? `${html}${TAG}` : `${html.slice(0, at)}${TAG}${html.slice(at)}`;
}

export function createPreviewHandler(dataDir: string, channel: ReloadChannel): (request: Request) => Promise<Response> {
  const site = createSiteHandler(dataDir);
  return async (request) => {
    const own = channel.handle(request);
    if (own) return own;
    const response = await site(request);
    if (request.method === 'HEAD' || !(response.headers.get('content-type') ?? '').startsWith('text/html') || !response.body) return response;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('etag');
    headers.delete('last-modified');
    headers.set('cache-control', 'no-store');
    return new Response(injectReloadScript(await response.text()), { status: response.status, headers });
  };
}
