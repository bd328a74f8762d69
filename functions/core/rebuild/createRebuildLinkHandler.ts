import { OPERATOR_PAGE_POLICY } from '../http/contentSecurityPolicy.ts';
import { json } from '../http/json.ts';
import type { BuildRecord, SourceConfig, Trigger } from '../types.ts';
import { BodyTooLargeError, readBody } from '../webhook/readBody.ts';
import { type RebuildLinkParams, verifyRebuildParams } from './rebuildLink.ts';
import { unknownSources } from './createRebuildHandler.ts';
import { escapeHtml } from '../http/escapeHtml.ts';

export interface RebuildLinkDeps {
  /** REBUILD_TOKEN; undefined = links are refused (503). */
  token: string | undefined;
  sources: readonly SourceConfig[];
  queue: { enqueue(trigger: Trigger): BuildRecord | Promise<BuildRecord> };
  onQueued?: (buildId: string) => void;
  now?: () => number;
}

/** A tiny page that must never be cached, indexed, framed, or leak the link through a Referer. */
function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:36em;margin:2em auto;padding:0 1em;color:#222}button{font:inherit;padding:.5em 1.2em;cursor:pointer}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
  return new Response(html, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-robots-tag': 'noindex, nofollow',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': OPERATOR_PAGE_POLICY,
    },
  });
}

const describe = (p: RebuildLinkParams) =>
  `${p.sources.length ? `source${p.sources.length > 1 ? 's' : ''} ${p.sources.join(', ')}` : 'all sources'}, ${p.full ? 'ignoring every cache (full rebuild)' : 'reusing what has not changed'}`;

const wantsHtml = (request: Request) => /text\/html/i.test(request.headers.get('accept') ?? '');

/**
 * `GET /rebuild/confirm?sources=…&full=…&exp=…&sig=…` answers a confirmation page with a POST form
 * and never queues anything (link previews and prefetchers only ever GET). `POST` with the same
 * signed parameters (form body, or the query string) queues the rebuild: 202, HTML for browsers,
 * JSON `{id}` otherwise. A bad or expired signature is 403 with the reason.
 */
export function createRebuildLinkHandler(deps: RebuildLinkDeps): (request: Request) => Promise<Response> {
  const now = deps.now ?? Date.now;
  return async (request) => {
    const isGet = request.method === 'GET' || request.method === 'HEAD';
    if (!isGet && request.method !== 'POST') return json(405, { error: 'use GET to see the confirmation page, POST to rebuild' }, { allow: 'GET, HEAD, POST' });
    const html = isGet || wantsHtml(request);
    const refuse = (status: number, title: string, message: string) =>
      html ? page(status, title, `<p>${escapeHtml(message)}</p>`) : json(status, { error: message });
    if (!deps.token)
      return refuse(
        503,
        'Rebuild links are disabled',
        'Rebuild links are disabled on this server: REBUILD_TOKEN is not set. Run `npm run rebuild` on the server instead.',
      );

    let params = new URL(request.url).searchParams;
    if (!isGet) {
      try {
        const text = new TextDecoder().decode(await readBody(request, 16 * 1024));
        const form = new URLSearchParams(text);
        if (form.has('sig')) params = form;
      } catch (err) {
        return refuse(err instanceof BodyTooLargeError ? 413 : 400, 'Bad request', 'The form could not be read; open the rebuild link again.');
      }
    }
    const check = verifyRebuildParams(params, deps.token, now());
    if (!check.ok)
      return refuse(check.reason === 'malformed' ? 400 : 403, check.reason === 'expired' ? 'Rebuild link expired' : 'Rebuild link not valid', check.message);
    const problem = unknownSources(check.sources, deps.sources);
    if (problem)
      return refuse(
        400,
        'Rebuild link out of date',
        `This rebuild link names ${problem}; the sources file changed since it was sent. Use a newer notification.`,
      );

    if (isGet) {
      const hidden = (['sources', 'full', 'exp', 'sig'] as const)
        .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(params.get(k) ?? '')}">`)
        .join('');
      return page(
        200,
        'Rebuild the docs?',
        `<p>This rebuilds ${escapeHtml(describe(check))} and deploys the result.</p>
<form method="post">${hidden}<button type="submit">Rebuild now</button></form>
<p><small>This link stays valid until ${escapeHtml(new Date(check.exp * 1000).toISOString())}.</small></p>`,
      );
    }

    const trigger: Trigger = { kind: 'manual', full: check.full, requestedBy: 'rebuild link', ...(check.sources.length ? { sources: check.sources } : {}) };
    const build = await deps.queue.enqueue(trigger);
    deps.onQueued?.(build.id);
    if (!html) return json(202, { id: build.id });
    return page(
      202,
      'Rebuild queued',
      `<p>Build <strong>${escapeHtml(build.id)}</strong> is queued: ${escapeHtml(describe(check))}.</p>
<p><a href="../_builds/${encodeURIComponent(build.id)}">Follow the build</a></p>`,
    );
  };
}
