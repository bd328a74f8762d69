/**
 * A fake GitHub REST API of our own for tests: a real HTTP server on 127.0.0.1 backed by real bare git
 * repositories (so shas, trees, blobs and tarballs are what git produces), with GitHub's JSON shapes,
 * headers (`x-ratelimit-*`, `etag`, `link`), auth (401 Bad credentials), rate limits and injectable faults.
 *
 *   const gh = await startFakeGitHub({ token: 't0ken' });
 *   const sha = await gh.createRepo('devsapp', 'fc', { 'docs/readme.md': '# FC' });
 *   gh.inject({ kind: 'status', status: 502, times: 2, path: /git\/trees/ });
 *   gh.faultRates({ seed: 7, status: 0.2, reset: 0.1 });   // random faults on every request, reproducibly
 *   … createGitHubClient({ baseUrl: gh.url, token: 't0ken' }) …
 *   await gh.close();
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorReply, route, type ApiContext, type HostedRepo, type Reply } from './fakeGitHubApi.ts';
import { graphqlReply } from './fakeGitHubGraphql.ts';
import { GitRepo, type CommitOptions, type FileSpec } from './gitRepo.ts';

export type { CommitOptions, FileSpec } from './gitRepo.ts';

/** A fault answered instead of the real response, for the next `times` (default 1) matching requests. */
export type Fault = { times?: number; path?: RegExp; method?: string } & (
  | { kind: 'status'; status: number }
  | { kind: 'secondary-rate-limit'; status?: 403 | 429; retryAfter?: number }
  | { kind: 'rate-limit-exhausted'; status?: 403 | 429; resetIn?: number }
  /** The socket is destroyed before any response byte. */
  | { kind: 'reset' }
  /** The real response's headers and half its body are sent, then the socket is destroyed. */
  | { kind: 'truncate' }
  /** No answer at all until the server closes. */
  | { kind: 'hang' }
);

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

/**
 * Random faults: each request (that no injected fault matched) gets a fault with these probabilities,
 * drawn from a seeded generator so a failing run can be replayed.
 */
export interface FaultRates {
  seed: number;
  /** 500, 502 or 503. */
  status?: number;
  reset?: number;
  truncate?: number;
  /** Left unanswered (the client's timeout must retry it). */
  hang?: number;
  /** 403 secondary rate limit with `retry-after: retryAfter` (default 1 s). */
  secondaryRateLimit?: number;
  retryAfter?: number;
  /** Only requests whose path matches (default: all). */
  path?: RegExp;
}

export interface FakeGitHubOptions {
  /** When set, every API request must carry `authorization: token|Bearer <token>`, else 401. */
  token?: string;
  /** Requests per hour; GitHub's 5000 with a token, 60 without. */
  rateLimit?: number;
  /** Trees longer than this are cut and answered with `truncated: true`. */
  maxTreeEntries?: number;
  /** Files a compare lists at most (GitHub: 300). */
  maxCompareFiles?: number;
  /** Every answer waits this long first (to observe how many requests a client keeps in flight). */
  latencyMs?: number;
}

export interface FakeGitHub {
  url: string;
  requests: FakeRequest[];
  /** Create a repository with one commit of `files` (none when `files` is empty); returns its sha ('' if empty). */
  createRepo(owner: string, name: string, files: Record<string, FileSpec>, opts?: { defaultBranch?: string }): Promise<string>;
  commit(owner: string, name: string, opts: CommitOptions): Promise<string>;
  /** The git repository behind `owner/name`, for direct inspection. */
  repo(owner: string, name: string): GitRepo;
  inject(fault: Fault): void;
  /** Random faults on every request from now on (undefined: stop). */
  faultRates(rates: FaultRates | undefined): void;
  /** Most requests in flight at once since the start (or the last `resetPeak`). */
  peakInFlight(): number;
  resetPeak(): void;
  /** Faults not yet used up. */
  pendingFaults(): number;
  close(): Promise<void>;
}

interface ActiveFault {
  fault: Fault;
  left: number;
}

const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ';
const RATE_DOC = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const root = await mkdtemp(join(tmpdir(), 'fake-github-'));
  const repos = new Map<string, HostedRepo>();
  const faults: ActiveFault[] = [];
  const requests: FakeRequest[] = [];
  const limit = options.rateLimit ?? (options.token ? 5000 : 60);
  const resetAt = Math.floor(Date.now() / 1000) + 3600;
  let used = 0;
  const key = (o: string, n: string): string => `${o}/${n}`.toLowerCase();
  const ctx: ApiContext = { api: '', find: (o, n) => repos.get(key(o, n)), cache: new Map() };
  if (options.maxTreeEntries !== undefined) ctx.maxTreeEntries = options.maxTreeEntries;
  if (options.maxCompareFiles !== undefined) ctx.maxCompareFiles = options.maxCompareFiles;
  let graphqlUsed = 0;
  let random: { rates: FaultRates; next: () => number } | undefined;
  let inFlight = 0;
  let peak = 0;

  const rateHeaders = (remaining = Math.max(0, limit - used), reset = resetAt, resource = 'core'): Record<string, string> => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(reset),
    'x-ratelimit-used': String(limit - remaining),
    'x-ratelimit-resource': resource,
  });

  const exhausted = (status: number, reset: number, authed: boolean): Reply => ({
    ...errorReply(status, `API rate limit exceeded for ${authed ? 'user ID 1' : '127.0.0.1'}.${authed ? '' : " (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"}`, `${RATE_DOC}#primary-rate-limit`),
    headers: rateHeaders(0, reset),
  });

  function randomFault(path: string): Fault | undefined {
    if (!random || (random.rates.path && !random.rates.path.test(path))) return undefined;
    const r = random.rates;
    let x = random.next();
    const pick = (p: number | undefined): boolean => (x -= p ?? 0) < 0;
    if (pick(r.status)) return { kind: 'status', status: [500, 502, 503][Math.floor(random.next() * 3)]! };
    if (pick(r.reset)) return { kind: 'reset' };
    if (pick(r.truncate)) return { kind: 'truncate' };
    if (pick(r.hang)) return { kind: 'hang' };
    if (pick(r.secondaryRateLimit)) return { kind: 'secondary-rate-limit', retryAfter: r.retryAfter ?? 1 };
    return undefined;
  }

  function takeFault(method: string, path: string): Fault | undefined {
    const i = faults.findIndex(({ fault }) => (!fault.method || fault.method === method) && (!fault.path || fault.path.test(path)));
    if (i < 0) return randomFault(path);
    const active = faults[i]!;
    if (--active.left <= 0) faults.splice(i, 1);
    return active.fault;
  }

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
      const reply: Reply = fault.status >= 502
        ? { status: fault.status, headers: { 'content-type': 'text/html; charset=utf-8' }, raw: Buffer.from(`<html><body><h1>${fault.status} Unicorn!</h1>No server is currently available to service your request.</body></html>`) }
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
      if (!scheme) return send(req, res, entry, { ...errorReply(401, 'This endpoint requires you to be authenticated.', 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql'), headers: rateHeaders(0, resetAt, 'graphql') }, truncate);
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
    const reply = (await route(ctx, method, url, req.headers.accept ?? '')) ?? errorReply(404, 'Not Found');
    // Like GitHub, a 304 (conditional request answered from the etag) does not count.
    send(req, res, entry, reply, truncate, (status) => {
      if (status !== 304) {
        used++;
        entry.counted = true;
      }
      return rateHeaders();
    });
  }

  const server = createServer((req, res) => {
    peak = Math.max(peak, ++inFlight);
    let done = false;
    const finished = (): void => {
      if (!done) inFlight--;
      done = true;
    };
    res.on('close', finished);
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`fake GitHub failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  ctx.api = `http://127.0.0.1:${port}`;

  const hosted = (owner: string, name: string): HostedRepo => {
    const h = repos.get(key(owner, name));
    if (!h) throw new Error(`fake GitHub: no repository ${owner}/${name}; call createRepo first`);
    return h;
  };

  return {
    url: ctx.api,
    requests,
    async createRepo(owner, name, files, opts = {}) {
      if (repos.has(key(owner, name))) throw new Error(`fake GitHub: ${owner}/${name} already exists`);
      const repo = await GitRepo.init(join(root, `${repos.size}-${owner}-${name}.git`), opts.defaultBranch ?? 'main');
      repos.set(key(owner, name), { owner, name, id: 1000 + repos.size, repo, createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
      return Object.keys(files).length ? repo.commit({ files, message: 'Initial commit' }) : '';
    },
    commit: (owner, name, opts) => hosted(owner, name).repo.commit(opts),
    repo: (owner, name) => hosted(owner, name).repo,
    inject(fault) {
      const left = fault.times ?? 1;
      if (left > 0) faults.push({ fault, left });
    },
    pendingFaults: () => faults.reduce((n, f) => n + f.left, 0),
    faultRates(rates) {
      random = rates && { rates, next: seededRandom(rates.seed) };
    },
    peakInFlight: () => peak,
    resetPeak() {
      peak = inFlight;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A small seeded PRNG (mulberry32): the same seed gives the same numbers (faults, test data) in the same order. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
