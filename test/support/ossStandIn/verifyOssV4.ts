/**
 * Checks an OSS V4 signature (`Authorization: OSS4-HMAC-SHA256 …`) the way OSS does, written from
 * Alibaba Cloud's documentation ("Include a V4 signature in the header"), not from the SDK:
 *   canonical request = method \n /bucket/key (URI-encoded, "/" kept) \n sorted encoded query \n
 *     canonical headers (content-type, content-md5, x-oss-*, plus AdditionalHeaders; lower-case,
 *     trimmed, sorted, each "k:v\n") \n additional header names \n x-oss-content-sha256
 *   string to sign = "OSS4-HMAC-SHA256" \n x-oss-date \n <date>/<region>/oss/aliyun_v4_request \n hex(sha256(canonical request))
 *   key = HMAC chain "aliyun_v4"+secret → date → region → "oss" → "aliyun_v4_request".
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface OssAccount {
  secret: string;
  /** STS credentials: the token that must come in x-oss-security-token. */
  securityToken?: string;
}

export interface Denial {
  status: number;
  code: string;
  message: string;
}

/** RFC 3986 percent-encoding of UTF-8 (unreserved characters kept), optionally keeping "/". */
function uriEncode(text: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/') ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

function canonicalQuery(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const k = decodeURIComponent(i < 0 ? pair : pair.slice(0, i));
      const v = i < 0 ? undefined : decodeURIComponent(pair.slice(i + 1));
      return [uriEncode(k), v === undefined || v === '' ? undefined : uriEncode(v)] as const;
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => (v === undefined ? k : `${k}=${v}`))
    .join('&');
}

/** Undefined when the request is authentic; otherwise OSS's error for it. */
export function verifyOssV4(opts: {
  method: string;
  bucket: string;
  /** The object key (decoded), '' for bucket operations. */
  key: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  accounts: Record<string, OssAccount>;
  now: number;
}): Denial | undefined {
  const { headers } = opts;
  const auth = String(headers.authorization ?? '');
  const m =
    /^OSS4-HMAC-SHA256 Credential=([^/,]+)\/(\d{8})\/([a-z0-9-]+)\/oss\/aliyun_v4_request,\s*(?:AdditionalHeaders=([a-z0-9;-]+),\s*)?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return { status: 403, code: 'AccessDenied', message: 'Authorization header missing or not OSS4-HMAC-SHA256 (this bucket is private)' };
  const [, keyId = '', signDate = '', region = '', additional = '', signature = ''] = m;
  const account = opts.accounts[keyId];
  if (!account) return { status: 403, code: 'InvalidAccessKeyId', message: `The OSS Access Key Id you provided does not exist in our records: ${keyId}` };
  const date = String(headers['x-oss-date'] ?? '');
  const dm = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(date);
  if (!dm || dm.slice(1, 4).join('') !== signDate)
    return { status: 403, code: 'AccessDenied', message: 'x-oss-date missing, malformed or not the credential date' };
  const when = Date.UTC(+dm[1]!, +dm[2]! - 1, +dm[3]!, +dm[4]!, +dm[5]!, +dm[6]!);
  if (Math.abs(when - opts.now) > 15 * 60_000)
    return { status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.' };
  if (account.securityToken !== undefined && headers['x-oss-security-token'] !== account.securityToken)
    return { status: 403, code: 'InvalidSecurityToken', message: 'The security token you provided is invalid.' };
  const payloadHash = String(headers['x-oss-content-sha256'] ?? '');
  if (!payloadHash) return { status: 400, code: 'InvalidArgument', message: 'x-oss-content-sha256 is required with V4 signatures' };

  const extra = additional ? additional.split(';') : [];
  const names = new Set(extra);
  for (const name of Object.keys(headers)) if (name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-')) names.add(name);
  const canonicalHeaders = [...names]
    .sort()
    .map((n) => `${n}:${String(headers[n] ?? '').trim()}\n`)
    .join('');
  const uri = uriEncode(`/${opts.bucket}/${opts.key}`, true);
  const canonical = [opts.method, uri, canonicalQuery(opts.rawQuery), canonicalHeaders, extra.join(';'), payloadHash].join('\n');
  const scope = `${signDate}/${region}/oss/aliyun_v4_request`;
  const toSign = ['OSS4-HMAC-SHA256', date, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  let key = hmac(`aliyun_v4${account.secret}`, signDate);
  for (const part of [region, 'oss', 'aliyun_v4_request']) key = hmac(key, part);
  const expected = hmac(key, toSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  }
  return undefined;
}
