/**
 * How the fake GitHub (see fakeGitHub.ts) answers one request, in the order GitHub does: record it,
 * apply an injected or random fault, check the credentials, answer GraphQL and `/rate_limit` from their
 * own budgets, refuse once the core rate limit is spent, then route to the REST API (fakeGitHubApi.ts).
 * Every answer carries GitHub's headers (`x-ratelimit-*`, `x-github-request-id`, `etag` → 304).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorReply, route, type ApiContext, type Reply } from './fakeGitHubApi.ts';
import type { Fault } from './fakeGitHubFaults.ts';
import { graphqlReply } from './fakeGitHubGraphql.ts';
import type { FakeGitHubOptions } from './fakeGitHub.ts';
import type { FakeGitHubStatuses } from './fakeGitHubStatuses.ts';

export interface FakeRequest {
  method: string;
  /** Path and query as received. */
  path: string;
  /** 0 when the socket was destroyed or the request left hanging. */
  status: number;
  userAgent?: string;
  /** Authorization scheme sent (`token`, `bearer`), never the credential. */
  auth?: string;
  fault?: Fault['kind'];
  /** Whether it was charged to the rate limit (304s, injected faults and codeload downloads are not). */
  counted?: boolean;
}

export interface HandlerDeps {
  options: FakeGitHubOptions;
  ctx: ApiContext;
  /** Every request is appended here as it arrives (its status filled in when answered). */
  requests: FakeRequest[];
  /** The fault (if any) a request gets instead of its real answer. */
  takeFault(method: string, path: string): Fault | undefined;
  /** The commit statuses API (fakeGitHubStatuses.ts), answered before the other REST routes. */
  statuses?: FakeGitHubStatuses;
}

const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ';
const RATE_DOC = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

/** The request handler of the fake GitHub's HTTP server; it keeps the rate-limit counts. */
export function fakeGitHubHandler({ options, ctx, requests, takeFault, statuses }: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limit = options.rateLimit ?? (options.token ? 5000 : 60);
  const resetAt = Math.floor(Date.now() / 1000) + 3600;
  let used = 0;
  let graphqlUsed = 0;

  const rateHeaders = (remaining = Math.max(0, limit - used), reset = resetAt, resource = 'core'): Record<string, string> => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(reset),
    'x-ratelimit-used': String(limit - remaining),
    'x-ratelimit-resource': resource,
  });

  const exhausted = (status: number, reset: number, authed: boolean): Reply => ({
    ...errorReply(
      status,
      `API rate limit exceeded for ${authed ? 'user ID 1' : '127.0.0.1'}.${authed ? '' : " (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"}`,
      `${RATE_DOC}#primary-rate-limit`,
    ),
    headers: rateHeaders(0, reset),
  });

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    entry: FakeRequest,
    reply: Reply,
    truncate: boolean,
    onStatus?: (status: number) => Record<string, string>,
  ): void {
    const isJson = reply.raw === undefined;
    const body = isJson ? Buffer.from(JSON.stringify(reply.body ?? {})) : reply.raw!;
    const headers: Record<string, string> = {
      server: 'github.com',
      'x-github-request-id': randomUUID().toUpperCase(),
      ...(isJson ? { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3; format=json' } : {}),
      ...reply.headers,
    };
    let status = reply.status;
    if (status === 200 && req.method === 'GET') {
      if (isJson) headers.etag = `W/"${createHash('sha256').update(body).digest('hex').slice(0, 40)}"`;
      headers['cache-control'] = options.token ? 'private, max-age=60, s-maxage=60' : 'public, max-age=60, s-maxage=60';
      headers.vary = 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding';
      const strip = (t: string): string => t.trim().replace(/^W\//, '');
      const asked = (req.headers['if-none-match'] ?? '').split(',').map(strip);
      if (headers.etag && asked.includes(strip(headers.etag))) status = 304;
    }
    entry.status = status;
    Object.assign(headers, onStatus?.(status));
    const payload = status === 304 ? Buffer.alloc(0) : body;
    res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
    if (truncate) res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
    else res.end(payload);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', ctx.api);
    const method = req.method ?? 'GET';
    const scheme = /^(token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const entry: FakeRequest = { method, path: `${url.pathname}${url.search}`, status: 0 };
    if (req.headers['user-agent']) entry.userAgent = req.headers['user-agent'];
    if (scheme) entry.auth = scheme[1]!.toLowerCase();
    requests.push(entry);
    const body = await readBody(req);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));

    const fault = takeFault(method, entry.path);
    if (fault) entry.fault = fault.kind;
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'status') {
      const reply: Reply =
        fault.status >= 502
          ? {
              status: fault.status,
              headers: { 'content-type': 'text/html; charset=utf-8' },
              raw: Buffer.from(`<html><body><h1>${fault.status} Unicorn!</h1>No server is currently available to service your request.</body></html>`),
            }
          : errorReply(fault.status, fault.status >= 500 ? 'Server Error' : 'Fault injected');
      return send(req, res, entry, { ...reply, headers: { ...rateHeaders(), ...reply.headers } }, false);
    }
    if (fault?.kind === 'secondary-rate-limit') {
      const reply = errorReply(fault.status ?? 403, `${SECONDARY}${randomUUID().toUpperCase()}.`, `${RATE_DOC}#about-secondary-rate-limits`);
      reply.headers = { ...rateHeaders(), ...(fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }) };
      return send(req, res, entry, reply, false);
    }
    const authed = scheme !== null && scheme[2] === options.token;
    if (fault?.kind === 'rate-limit-exhausted') {
      return send(req, res, entry, exhausted(fault.status ?? 403, Math.floor(Date.now() / 1000) + (fault.resetIn ?? 3600), authed), false);
    }
    const truncate = fault?.kind === 'truncate';

    if (url.pathname.startsWith('/_codeload/')) {
      return send(req, res, entry, (await route(ctx, method, url, '')) ?? errorReply(404, 'Not Found'), truncate);
    }
    if (options.token !== undefined && !authed) {
      return send(req, res, entry, { ...errorReply(401, 'Bad credentials'), headers: rateHeaders(59, resetAt) }, truncate);
    }
    if (url.pathname === '/graphql' && method === 'POST') {
      // GitHub's GraphQL API needs a token, and has its own budget.
      if (!scheme)
        return send(
          req,
          res,
          entry,
          {
            ...errorReply(
              401,
              'This endpoint requires you to be authenticated.',
              'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
            ),
            headers: rateHeaders(0, resetAt, 'graphql'),
          },
          truncate,
        );
      if (graphqlUsed >= 5000) return send(req, res, entry, { ...exhausted(403, resetAt, true), headers: rateHeaders(0, resetAt, 'graphql') }, truncate);
      const reply = await graphqlReply(ctx.find, body);
      graphqlUsed++;
      entry.counted = true;
      return send(req, res, entry, { ...reply, headers: rateHeaders(5000 - graphqlUsed, resetAt, 'graphql') }, truncate);
    }
    if (url.pathname === '/rate_limit') {
      const core = { limit, used, remaining: Math.max(0, limit - used), reset: resetAt, resource: 'core' };
      const body = { resources: { core, search: { ...core, limit: 30, used: 0, remaining: 30, resource: 'search' } }, rate: core };
      return send(req, res, entry, { status: 200, body, headers: rateHeaders() }, truncate);
    }
    if (used >= limit) return send(req, res, entry, exhausted(403, resetAt, authed), truncate);
    const reply = (await statuses?.route(method, url, body)) ?? (await route(ctx, method, url, req.headers.accept ?? '')) ?? errorReply(404, 'Not Found');
    // Like GitHub, a 304 (conditional request answered from the etag) does not count.
    send(req, res, entry, reply, truncate, (status) => {
      if (status !== 304) {
        used++;
        entry.counted = true;
      }
      return rateHeaders();
    });
  }

  return handle;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
    req.on('close', () => resolve(Buffer.concat(chunks)));
  });
}
