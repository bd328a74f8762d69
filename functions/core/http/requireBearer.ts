import { createHash, timingSafeEqual } from 'node:crypto';
import { jsonError } from './json.ts';

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/**
 * The operators' endpoints: POST only, enabled by REBUILD_TOKEN, `Authorization: Bearer <token>`
 * compared in constant time. Returns the refusal to send, or undefined when the request may go on.
 */
export function requireBearer(request: Request, token: string | undefined, what: string, cli: string): Response | undefined {
  if (request.method !== 'POST') return jsonError(405, 'use POST', undefined, { allow: 'POST' });
  if (!token) return jsonError(503, `${what} over HTTP is disabled`, `set REBUILD_TOKEN to enable it, or run \`${cli}\` on the server`);
  const auth = request.headers.get('authorization') ?? '';
  const given = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  if (!given || !safeEqual(given, token))
    return jsonError(401, 'missing or wrong bearer token', 'send Authorization: Bearer <REBUILD_TOKEN>', { 'www-authenticate': 'Bearer' });
  return undefined;
}
