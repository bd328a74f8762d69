import type { BuildQueue, DeliveryRow } from '../queue/BuildQueue.ts';
import type { BuildRecord } from '../types.ts';

type MaybePromise<T> = T | Promise<T>;
import { OPERATOR_PAGE_POLICY } from './contentSecurityPolicy.ts';
import { json, jsonError } from './json.ts';
import { renderBadge } from './renderBadge.ts';
import { renderBuildPage } from './renderBuildPage.ts';
import { renderBuildsPage } from './renderBuildsPage.ts';
import type { StatusGuard } from './statusGuard.ts';
import type { StatusReport } from '../reconcile/freshnessStatus.ts';

export interface AppDeps {
  webhook: (request: Request) => Promise<Response>;
  rebuild: (request: Request) => Promise<Response>;
  /** GET/POST /rebuild/confirm: the signed rebuild links sent in notifications. */
  rebuildLink?: (request: Request) => Promise<Response>;
  /** Build records: the local SQLite queue (synchronous) or a store on NAS/OSS (asynchronous). */
  queue: {
    get(id: string): MaybePromise<BuildRecord | undefined>;
    list(limit?: number): MaybePromise<BuildRecord[]>;
    listDeliveries(limit?: number): MaybePromise<DeliveryRow[]>;
    listRejections?: BuildQueue['listRejections'];
  };
  /** Requests to a PR preview's host (PREVIEW_URL): its answer; undefined for every other host. */
  preview?: (request: Request) => Promise<Response | undefined>;
  /** Serves the current release of the site. */
  site: (request: Request) => Promise<Response>;
  /** POST /rollback (absent where releases are not kept locally). */
  rollback?: (request: Request) => Promise<Response>;
  /** GET /releases: the kept releases, newest first. */
  releases?: () => Promise<Array<{ release: string; activatedAt: Date; current: boolean }>>;
  log?: (line: string) => void;
  /** GET /status: per source the live commit, the branch head when last checked, the lag (also on /_builds/). */
  freshness?: () => Promise<StatusReport>;
  /** Base URL shown in the badge snippet on /_builds/. */
  publicUrl?: string;
  /** Who may read the status pages (createStatusGuard); absent = public. The badge is always public. */
  status?: StatusGuard;
}

const html = (status: number, body: string) =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': OPERATOR_PAGE_POLICY },
  });

const BUILD_PATH = /^\/builds\/([A-Za-z0-9-]{1,64})\/?$/;
const BUILD_PAGE = /^\/_builds\/([A-Za-z0-9-]{1,64})\/?$/;
const BADGE_STATES = new Set(['succeeded', 'degraded', 'failed']);
/** The JSON status endpoints (below): behind the status guard like the /_builds/ pages. */
const JSON_STATUS = /^\/(?:builds(?:\/[A-Za-z0-9-]{0,64})?|deliveries\/?|status\/?)$/;

/**
 * The whole HTTP surface as one web-standard handler; the local Node server and the Function
 * Compute HTTP function are thin adapters around it.
 */
export function createApp(deps: AppDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const path = url.pathname;
    try {
      const preview = await deps.preview?.(request);
      if (preview) return preview;
      if (path === '/webhook') return await deps.webhook(request);
      if (path === '/rebuild') return await deps.rebuild(request);
      if (path === '/rebuild/confirm' && deps.rebuildLink) return await deps.rebuildLink(request);
      if (path === '/rollback' && deps.rollback) return await deps.rollback(request);
      const isRead = request.method === 'GET' || request.method === 'HEAD';
      if (path === '/healthz') return json(200, { ok: true });
      if (path === '/_builds/login' && deps.status) return await deps.status.login(request);
      if (path === '/_builds/logout' && deps.status) return deps.status.logout(request);
      if (
        deps.status &&
        path !== '/_builds/badge.svg' &&
        (JSON_STATUS.test(path) || (deps.releases && /^\/releases\/?$/.test(path)) || path.startsWith('/_builds'))
      ) {
        const refused = deps.status.check(request, path.startsWith('/_builds') ? 'html' : 'json');
        if (refused) return refused;
      }
      if (path === '/builds' || path === '/builds/') {
        if (!isRead) return jsonError(405, 'use GET', undefined, { allow: 'GET' });
        const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 50) || 50, 1), 500);
        return json(200, { builds: await deps.queue.list(limit) });
      }
      const m = BUILD_PATH.exec(path);
      if (m) {
        if (!isRead) return jsonError(405, 'use GET', undefined, { allow: 'GET' });
        const build = await deps.queue.get(m[1]!);
        return build ? json(200, build) : jsonError(404, `no build ${m[1]}`, 'GET /builds lists the recent builds');
      }
      if ((path === '/status' || path === '/status/') && deps.freshness) {
        if (!isRead) return jsonError(405, 'use GET', undefined, { allow: 'GET' });
        return json(200, await deps.freshness());
      }
      if ((path === '/releases' || path === '/releases/') && deps.releases) {
        if (!isRead) return jsonError(405, 'use GET', undefined, { allow: 'GET' });
        return json(200, { releases: await deps.releases() });
      }
      if (path === '/_builds') return new Response(null, { status: 301, headers: { location: '/_builds/' } });
      if (path === '/_builds/') return html(200, renderBuildsPage(await deps.queue.list(100), deps.publicUrl ?? url.origin, await deps.freshness?.()));
      if (path === '/_builds/badge.svg') {
        const last = (await deps.queue.list(200)).find((b) => BADGE_STATES.has(b.state));
        return new Response(renderBadge(last?.state ?? 'unknown'), {
          headers: { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'no-cache, max-age=0' },
        });
      }
      const page = BUILD_PAGE.exec(path);
      if (page) {
        const build = await deps.queue.get(page[1]!);
        return build
          ? html(200, renderBuildPage(build))
          : html(404, `<!doctype html><title>No such build</title><p>No build ${page[1]}. <a href="/_builds/">All builds</a></p>`);
      }
      if (path === '/deliveries' || path === '/deliveries/') {
        if (!isRead) return jsonError(405, 'use GET', undefined, { allow: 'GET' });
        // `?limit=` (default 200, at most 10,000) so a burst can be accounted for delivery by delivery.
        const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 200) || 200, 1), 10_000);
        return json(200, { deliveries: await deps.queue.listDeliveries(limit), rejected: deps.queue.listRejections?.(100) ?? [] });
      }
      if (!isRead) return jsonError(405, `${request.method} is not allowed on ${path}`, undefined, { allow: 'GET, HEAD' });
      return await deps.site(request);
    } catch (err) {
      deps.log?.(`error handling ${request.method} ${path}: ${(err as Error).stack ?? String(err)}`);
      return jsonError(500, 'internal error', 'see the server log');
    }
  };
}
