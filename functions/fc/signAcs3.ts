import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface AcsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  /** STS token: Function Compute hands functions temporary credentials. */
  securityToken?: string;
}

const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Sign an Alibaba Cloud OpenAPI request with the V3 method (ACS3-HMAC-SHA256): returns the headers
 * to send, `Authorization` included. Every `host`, `content-type` and `x-acs-*` header is signed.
 */
export function signAcs3(
  request: { method: string; url: URL; headers: Record<string, string>; body: Uint8Array | string; action: string; version: string },
  credentials: AcsCredentials,
  now: Date = new Date(),
  nonce: string = randomBytes(16).toString('hex'),
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v.trim();
  headers.host = request.url.host;
  headers['x-acs-action'] = request.action;
  headers['x-acs-version'] = request.version;
  headers['x-acs-date'] = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  headers['x-acs-signature-nonce'] = nonce;
  headers['x-acs-content-sha256'] = sha256Hex(request.body);
  if (credentials.securityToken) headers['x-acs-security-token'] = credentials.securityToken;

  const signed = Object.keys(headers)
    .filter((k) => k === 'host' || k === 'content-type' || k.startsWith('x-acs-'))
    .sort();
  const canonicalHeaders = signed.map((k) => `${k}:${headers[k]}\n`).join('');
  const query = [...request.url.searchParams]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join('&');
  const canonicalUri =
    request.url.pathname
      .split('/')
      .map((seg) => encode(decodeURIComponent(seg)))
      .join('/') || '/';
  const canonicalRequest = [request.method.toUpperCase(), canonicalUri, query, canonicalHeaders, signed.join(';'), headers['x-acs-content-sha256']].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', credentials.accessKeySecret).update(stringToSign).digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${credentials.accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}`;
  return headers;
}
