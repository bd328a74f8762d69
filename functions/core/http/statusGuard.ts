/**
 * The status pages' door (see statusAccess.ts for the policy): checks each request to a status
 * endpoint, and serves the browser login (GET/POST /_builds/login) and logout (POST /_builds/logout).
 * JSON endpoints answer 401 with `WWW-Authenticate: Bearer`; the human pages answer 401 with the
 * login form. The token is compared in constant time and never logged or echoed.
 */
import { OPERATOR_PAGE_POLICY } from './contentSecurityPolicy.ts';
import { escapeHtml } from './escapeHtml.ts';
import { jsonError } from './json.ts';
import { presentsToken, sessionCookie, statusAccess, type StatusAccess, type StatusAccessSettings } from './statusAccess.ts';

export interface StatusGuard {
  access(): StatusAccess;
  /** The refusal for a request to a status page, or undefined when it may be served. */
  check(request: Request, kind: 'json' | 'html'): Response | undefined;
  /** GET: the login form; POST (form field `token`, optional `next`): the session cookie and a redirect. */
  login(request: Request): Promise<Response>;
  logout(request: Request): Response;
}

/** Where a login may send the browser back to: status pages only, never another host. */
const NEXT = /^\/(?:_builds\/[A-Za-z0-9-]{0,64}|builds(?:\/[A-Za-z0-9-]{1,64})?|deliveries|releases)$/;
const safeNext = (next: string | null): string => (next && NEXT.test(next) ? next : '/_builds/');

const page = (status: number, body: string, headers: Record<string, string> = {}): Response =>
  new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><meta name="robots" content="noindex"><title>docs-sync builds: log in</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;margin:.3rem 0 .8rem}button{font:inherit;padding:.4rem 1rem}.error{color:#b91c1c}</style>
</head><body>${body}</body></html>\n`,
    {
      status,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': OPERATOR_PAGE_POLICY, ...headers },
    },
  );

function loginForm(status: number, next: string, access: StatusAccess, error?: string): Response {
  const from = access.mode === 'token' ? access.from : 'STATUS_TOKEN';
  return page(
    status,
    `<h1>Build status</h1>
<p>These pages show repository names, commits and errors, so they need the operator's token (<code>${from}</code>).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}<form method="post" action="/_builds/login">
<label for="token">Token</label><input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${escapeHtml(next)}"><button type="submit">Log in</button></form>`,
    { 'www-authenticate': 'Bearer realm="docs-sync status"' },
  );
}

const closedHint = (access: StatusAccess): string =>
  `the status pages are closed because ${access.privateRepos.join(', ')} ${access.privateRepos.length === 1 ? 'is a private repository' : 'are private repositories'} and no token is set: set STATUS_TOKEN (or REBUILD_TOKEN) to a long random secret`;

export function createStatusGuard(settings: StatusAccessSettings, privateRepos: () => string[], now: () => number = Date.now): StatusGuard {
  const access = (): StatusAccess => statusAccess(settings, privateRepos());
  return {
    access,
    check(request, kind) {
      const a = access();
      if (a.mode === 'public') return undefined;
      if (a.mode === 'closed') {
        return kind === 'json' ? jsonError(503, 'status pages closed', closedHint(a)) : page(503, `<h1>Build status</h1><p>${escapeHtml(closedHint(a))}.</p>`);
      }
      if (presentsToken(request, a.token, now())) return undefined;
      if (kind === 'html') return loginForm(401, safeNext(new URL(request.url).pathname), a);
      return jsonError(401, 'the status pages need a token', `send Authorization: Bearer <${a.from}>`, {
        'www-authenticate': 'Bearer realm="docs-sync status"',
      });
    },
    async login(request) {
      const a = access();
      if (request.method === 'GET' || request.method === 'HEAD') {
        return a.mode === 'public'
          ? new Response(null, { status: 303, headers: { location: '/_builds/' } })
          : loginForm(200, safeNext(new URL(request.url).searchParams.get('next')), a);
      }
      if (request.method !== 'POST') return jsonError(405, 'use GET or POST', undefined, { allow: 'GET, POST' });
      const raw = await request.text();
      const form = new URLSearchParams(raw.length <= 8192 ? raw : '');
      const next = safeNext(form.get('next'));
      if (a.mode === 'closed') return page(503, `<h1>Build status</h1><p>${escapeHtml(closedHint(a))}.</p>`);
      if (a.mode === 'public') return new Response(null, { status: 303, headers: { location: next } });
      const given = form.get('token') ?? '';
      const ok = presentsToken(new Request(request.url, { headers: { authorization: `Bearer ${given}` } }), a.token);
      if (!given || !ok) return loginForm(401, next, a, 'That token is not right.');
      return new Response(null, {
        status: 303,
        headers: { location: next, 'set-cookie': sessionCookie(request, a.token, now()), 'cache-control': 'no-store' },
      });
    },
    logout(request) {
      if (request.method !== 'POST') return jsonError(405, 'use POST', undefined, { allow: 'POST' });
      return new Response(null, { status: 303, headers: { location: '/_builds/login', 'set-cookie': sessionCookie(request, undefined) } });
    },
  };
}
