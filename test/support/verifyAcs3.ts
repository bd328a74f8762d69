/**
 * Checks an Alibaba Cloud API request signed with ACS3-HMAC-SHA256 (the V3 signature of the FC 3.0,
 * CDN and other OpenAPI products), as the stand-ins for those APIs do: with its own implementation of
 * the documented algorithm, not with the code under test. Also the STS token, body digest, date
 * (±15 min), a fresh nonce, and the expected action and version.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface Acs3Verdict {
  status: number;
  code?: string;
  message?: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** RFC 3986 percent-encoding of a UTF-8 string: everything but A-Z a-z 0-9 - _ . ~ becomes %XX. */
export function rfc3986(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function canonicalRequest(method: string, rawUrl: string, headers: IncomingHttpHeaders, signed: string[], payloadHash: string): string {
  const [rawPath = '/', rawQuery = ''] = rawUrl.split('?', 2);
  const path = rawPath
    .split('/')
    .map((seg) => rfc3986(decodeURIComponent(seg)))
    .join('/');
  const query = rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const [k, v] = i < 0 ? [pair, ''] : [pair.slice(0, i), pair.slice(i + 1)];
      return [rfc3986(decodeURIComponent(k.replace(/\+/g, ' '))), rfc3986(decodeURIComponent(v.replace(/\+/g, ' ')))] as const;
    })
    .sort((a, b) => (a[0] === b[0] ? 0 : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const lines = signed.map((name) => `${name}:${String(headers[name] ?? '').trim()}\n`).join('');
  return `${method}\n${path}\n${query}\n${lines}\n${signed.join(';')}\n${payloadHash}`;
}

/** Undefined when the request is authentic; otherwise the API's error for it. */
export function verifyAcs3(opts: {
  method: string;
  rawUrl: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Known AccessKey ids with their secret and, for STS credentials, the token that must accompany them. */
  credentials: Record<string, { secret: string; securityToken?: string }>;
  now: number;
  /** Nonces already used (a replay is refused); the accepted request's nonce is added. */
  seenNonces: Set<string>;
  action: string;
  version: string;
}): Acs3Verdict | undefined {
  const { method, rawUrl, headers, body, credentials, now, seenNonces, action, version } = opts;
  const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(String(headers.authorization ?? ''));
  if (!m) return { status: 403, code: 'InvalidAuthorization', message: 'Authorization header missing or not ACS3-HMAC-SHA256' };
  const [, keyId = '', signedList = '', signature = ''] = m;
  const account = credentials[keyId];
  if (!account) return { status: 403, code: 'InvalidAccessKeyId.NotFound', message: `Specified access key is not found: ${keyId}` };
  const signed = signedList.split(';');
  const mustSign = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];
  for (const name of Object.keys(headers)) if (name.startsWith('x-acs-') || name === 'content-type') mustSign.push(name);
  const unsigned = mustSign.filter((h) => !signed.includes(h));
  if (unsigned.length) return { status: 403, code: 'SignatureDoesNotMatch', message: `headers not signed: ${unsigned.join(', ')}` };
  if (signed.join(';') !== [...signed].sort().join(';')) return { status: 403, code: 'SignatureDoesNotMatch', message: 'SignedHeaders not sorted' };
  if (headers['x-acs-content-sha256'] !== sha256(body))
    return { status: 400, code: 'InvalidArgument', message: 'x-acs-content-sha256 does not match the body' };
  const date = String(headers['x-acs-date'] ?? '');
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(date) || Math.abs(Date.parse(date) - now) > 15 * 60_000)
    return { status: 403, code: 'InvalidTimeStamp.Expired', message: `x-acs-date ${date} is not within 15 minutes` };
  const nonce = String(headers['x-acs-signature-nonce'] ?? '');
  if (!nonce || seenNonces.has(nonce)) return { status: 403, code: 'SignatureNonceUsed', message: 'x-acs-signature-nonce missing or already used' };
  if (account.securityToken !== undefined && headers['x-acs-security-token'] !== account.securityToken)
    return { status: 403, code: 'InvalidSecurityToken.Mismatch', message: 'x-acs-security-token missing or wrong' };
  const toSign = `ACS3-HMAC-SHA256\n${sha256(canonicalRequest(method, rawUrl, headers, signed, sha256(body)))}`;
  const expected = createHmac('sha256', account.secret).update(toSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature does not conform to Aliyun standards.' };
  seenNonces.add(nonce);
  if (headers['x-acs-action'] !== action || headers['x-acs-version'] !== version)
    return { status: 400, code: 'InvalidAction', message: `expected x-acs-action ${action}, x-acs-version ${version}` };
  return undefined;
}
