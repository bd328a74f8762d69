import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';
/** Exactly GitHub's shape: Buffer.from(hex) silently drops trailing garbage and odd digits, so check first. */
const SHAPE = /^sha256=[0-9a-fA-F]{64}$/;

/**
 * Check GitHub's `X-Hub-Signature-256` over the raw body bytes, in constant time. The bytes are
 * hashed exactly as received (never decoded and re-encoded first).
 */
export function verifySignature(secret: string, body: Uint8Array, header: string | null): boolean {
  if (!header || !SHAPE.test(header)) return false;
  const given = Buffer.from(header.slice(PREFIX.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  // SHAPE guarantees 64 hex digits: 32 bytes, the digest's length.
  return timingSafeEqual(given, expected);
}
