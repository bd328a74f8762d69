/**
 * Who may read the status pages (/builds, /_builds/, /deliveries, /releases): they show repository
 * names, pusher logins, commit messages and error text. Public only while no source is known to be a
 * private repository (or when STATUS_TOKEN=public says so); otherwise a token is needed: STATUS_TOKEN,
 * else REBUILD_TOKEN reused, else the pages are closed until one is set. Scripts send
 * `Authorization: Bearer <token>`; browsers log in once on /_builds/login and get a session cookie
 * (HttpOnly, SameSite=Strict) that carries an HMAC of the token, never the token itself.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from './requireBearer.ts';

export interface StatusAccessSettings {
  /** STATUS_TOKEN (never the word "public"). */
  statusToken?: string | undefined;
  /** STATUS_TOKEN=public: keep the pages public even for private repositories (warned about). */
  statusPublic?: boolean | undefined;
  /** REBUILD_TOKEN: reused when STATUS_TOKEN is unset and protection is needed. */
  rebuildToken?: string | undefined;
}

export type StatusAccess =
  | { mode: 'public'; privateRepos: string[] }
  | { mode: 'token'; token: string; from: 'STATUS_TOKEN' | 'REBUILD_TOKEN'; privateRepos: string[] }
  | { mode: 'closed'; privateRepos: string[] };

/** How the status pages are guarded, given the settings and the repositories known to be private. */
export function statusAccess(settings: StatusAccessSettings, privateRepos: string[]): StatusAccess {
  if (settings.statusToken) return { mode: 'token', token: settings.statusToken, from: 'STATUS_TOKEN', privateRepos };
  if (settings.statusPublic || privateRepos.length === 0) return { mode: 'public', privateRepos };
  if (settings.rebuildToken) return { mode: 'token', token: settings.rebuildToken, from: 'REBUILD_TOKEN', privateRepos };
  return { mode: 'closed', privateRepos };
}

/** One line for the start-up log: how the status pages are guarded now, and the fix when something is off. */
export function describeStatusAccess(access: StatusAccess): string {
  if (access.mode === 'token') return `Status pages need a token (${access.from}): Authorization: Bearer, or log in at /_builds/login in a browser.`;
  if (access.mode === 'closed')
    return `Warning: the status pages are closed: ${access.privateRepos.join(', ')} is private and neither STATUS_TOKEN nor REBUILD_TOKEN is set. Set STATUS_TOKEN to a long random secret.`;
  const warning = unprotectedWarning(access);
  return warning ? `Warning: ${warning}` : 'Status pages are public (no source is known to be a private repository; set STATUS_TOKEN to protect them anyway).';
}

/** The warning to give (start banner, build reports) when private repositories' builds are shown to anyone; undefined otherwise. */
export function unprotectedWarning(access: StatusAccess): string | undefined {
  if (access.mode !== 'public' || access.privateRepos.length === 0) return undefined;
  return `private repositor${access.privateRepos.length === 1 ? 'y' : 'ies'} ${access.privateRepos.join(', ')} ${access.privateRepos.length === 1 ? 'is' : 'are'} published while the status pages (/builds, /_builds/, /deliveries, /releases) are public (STATUS_TOKEN=public): anyone can read their commit messages, pushers and errors. Set STATUS_TOKEN to a long random secret to protect them.`;
}

export const SESSION_COOKIE = 'docs_sync_status';
const SESSION_SECONDS = 7 * 24 * 3600;

const mac = (token: string, expires: number): string => createHmac('sha256', token).update(`docs-sync status session ${expires}`).digest('base64url');

/** A session cookie's value for `token`: its expiry and an HMAC of it keyed by the token. */
export function sessionValue(token: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + SESSION_SECONDS;
  return `${expires}.${mac(token, expires)}`;
}

/** The Set-Cookie header that logs a browser in (`token` given) or out (undefined). */
export function sessionCookie(request: Request, token: string | undefined, now = Date.now()): string {
  const https = new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  const value = token ? sessionValue(token, now) : '';
  const age = token ? SESSION_SECONDS : 0;
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${age}; HttpOnly; SameSite=Strict${https ? '; Secure' : ''}`;
}

function cookieOf(request: Request): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether `request` carries the token (Bearer) or a valid, unexpired session cookie for it. Constant-time comparisons. */
export function presentsToken(request: Request, token: string, now = Date.now()): boolean {
  const auth = request.headers.get('authorization') ?? '';
  if (/^Bearer /i.test(auth)) return safeEqual(auth.slice(7).trim(), token);
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(cookieOf(request) ?? '');
  if (!m) return false;
  const expires = Number(m[1]);
  return expires * 1000 > now && safeEqual(m[2]!, mac(token, expires));
}
