import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed rebuild links, for the "Rebuild" button of a notification: anyone holding the link may ask
 * for that one rebuild until it expires, without ever seeing REBUILD_TOKEN. The signature is
 * HMAC-SHA256 keyed with REBUILD_TOKEN over the canonical parameters, so changing the sources, the
 * `full` flag or the expiry (or rotating the token) invalidates it.
 */

/** Path of the confirmation page (GET) and of the action (POST). */
export const REBUILD_LINK_PATH = '/rebuild/confirm';
/** How long a link stays valid unless told otherwise. */
export const REBUILD_LINK_TTL_SECONDS = 7 * 24 * 3600;

export interface RebuildLinkParams {
  /** Source ids; empty = all sources. */
  sources: string[];
  full: boolean;
  /** Expiry, Unix seconds. */
  exp: number;
}

export type RebuildLinkCheck =
  | ({ ok: true } & RebuildLinkParams)
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired'; message: string; exp?: number };

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

function canonicalSources(sources: readonly string[]): string[] {
  return [...new Set(sources.map((s) => s.trim()).filter(Boolean))].sort();
}

/** The exact bytes that are signed; a domain prefix keeps the signature useless for anything else. */
function canonical(p: RebuildLinkParams): string {
  return `docs-sync rebuild link v1\nsources=${canonicalSources(p.sources).join(',')}\nfull=${p.full ? 1 : 0}\nexp=${p.exp}`;
}

function signatureOf(token: string, p: RebuildLinkParams): string {
  return createHmac('sha256', token).update(canonical(p)).digest('base64url');
}

/** The query string of a signed link: `sources=a,b&full=0&exp=<unix>&sig=<base64url>`. */
export function signRebuildParams(token: string, p: RebuildLinkParams): string {
  const q = new URLSearchParams({ sources: canonicalSources(p.sources).join(','), full: p.full ? '1' : '0', exp: String(p.exp), sig: signatureOf(token, p) });
  // Commas are safe in a query string and easier to read than %2C.
  return q.toString().replaceAll('%2C', ',');
}

/** A complete signed link under `publicUrl`, valid for `ttlSeconds` from `now`. */
export function rebuildLink({
  publicUrl,
  token,
  sources,
  full = false,
  now = Date.now(),
  ttlSeconds = REBUILD_LINK_TTL_SECONDS,
}: {
  publicUrl: string;
  token: string;
  sources: readonly string[];
  full?: boolean;
  now?: number;
  ttlSeconds?: number;
}): string {
  const exp = Math.floor(now / 1000) + ttlSeconds;
  return `${publicUrl.replace(/\/+$/, '')}${REBUILD_LINK_PATH}?${signRebuildParams(token, { sources: [...sources], full, exp })}`;
}

/** Check a link's parameters: signature first (constant time), then expiry. Never throws. */
export function verifyRebuildParams(params: URLSearchParams, token: string, now = Date.now()): RebuildLinkCheck {
  const rawSources = params.get('sources');
  const rawFull = params.get('full');
  const rawExp = params.get('exp');
  const sig = params.get('sig');
  const malformed = (what: string): RebuildLinkCheck => ({
    ok: false,
    reason: 'malformed',
    message: `This rebuild link is incomplete or damaged (${what}). Copy the whole link from the notification.`,
  });
  if (rawSources === null || rawFull === null || rawExp === null || !sig) return malformed('sources, full, exp and sig are all required');
  if (rawFull !== '0' && rawFull !== '1') return malformed('full must be 0 or 1');
  if (!/^\d{1,12}$/.test(rawExp)) return malformed('exp must be a Unix time');
  const sources = canonicalSources(rawSources.split(','));
  if (!sources.every((s) => SOURCE_ID.test(s))) return malformed('sources must be source ids separated by commas');
  const p: RebuildLinkParams = { sources, full: rawFull === '1', exp: Number(rawExp) };
  const expected = Buffer.from(signatureOf(token, p));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      reason: 'bad-signature',
      message:
        "This rebuild link is not valid: its signature does not match. It was changed after it was sent, or the server's REBUILD_TOKEN has changed since. Use the link from a newer notification.",
    };
  }
  if (Math.floor(now / 1000) > p.exp) {
    return {
      ok: false,
      reason: 'expired',
      exp: p.exp,
      message: `This rebuild link expired at ${new Date(p.exp * 1000).toISOString()}. Use the link from a newer notification, or run \`npm run rebuild\` on the server.`,
    };
  }
  return { ok: true, ...p };
}
