import { currentRelease } from '../core/deploy/deployRelease.ts';
import { readPreview } from '../core/deploy/previews.ts';
import type { PreviewHosts } from '../core/http/previewHosts.ts';
import { servePreview } from '../core/http/servePreview.ts';
import { serveStatic } from '../core/http/serveStatic.ts';

const BUILDING = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Building the docs…</title></head><body style="font-family:system-ui;max-width:40rem;margin:4rem auto">
<h1>The first build is running</h1><p>The docs site appears here as soon as it is deployed; this page reloads
every 5 seconds. Progress: <a href="/builds">/builds</a>.</p></body></html>`;

/**
 * Serve the current release. The release is looked up on every request, so a deploy switch is seen
 * at once and a release being written is never served.
 */
export function createSiteHandler(dataDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    const current = await currentRelease(dataDir);
    if (!current) {
      return new Response(request.method === 'HEAD' ? null : BUILDING, {
        status: 503,
        headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '5', 'cache-control': 'no-store' },
      });
    }
    return serveStatic(request, current.path);
  };
}

/**
 * Serve PR previews by host (PREVIEW_URL): a request whose host names a preview gets that preview's
 * folder under DATA_DIR/previews (looked up per request), or a 404 saying it is gone; any other host
 * gets undefined (the live site and the API, unchanged).
 */
export function createPreviewSiteHandler(dataDir: string, hosts: PreviewHosts): (request: Request) => Promise<Response | undefined> {
  return async (request) => {
    const key = hosts.keyOf(request);
    return key === undefined ? undefined : servePreview(request, await readPreview(dataDir, key));
  };
}
