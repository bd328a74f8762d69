/**
 * A stand-in for the Function Compute 3.0 API's InvokeFunction (POST /2023-03-30/functions/<name>/
 * invocations) on 127.0.0.1. It checks what FC checks for an async invocation: an ACS3-HMAC-SHA256
 * signature (verified here with its own implementation of the documented algorithm, not with the
 * code under test), the STS token, the body digest and date, `x-fc-invocation-type: Async`, the 128 KB
 * async payload limit and the async task id rules; it records accepted tasks and refuses a repeated
 * task id with 409 like FC's task de-duplication. Errors use FC 3.0's body shape {Code, Message, RequestId}.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedTask {
  functionName: string;
  taskId: string;
  requestId: string;
  /** The payload exactly as received. */
  body: string;
  headers: IncomingHttpHeaders;
}

export interface FcApiStandIn {
  url: string;
  /** Accepted async tasks, in order. */
  tasks: RecordedTask[];
  /** Every request received, accepted or not, with the status it got. */
  requests: Array<{ method: string; path: string; status: number; code?: string }>;
  /** Answer every invocation with this error until `recover()` (e.g. 503 ServiceUnavailable). */
  failWith(status: number, code: string): void;
  recover(): void;
  close(): Promise<void>;
}

/** FC's code for a repeated async task id (the one FC 2.0 documents; FC 3.0 answers 409 as well). */
export const DUPLICATE_TASK_CODE = 'StatefulAsyncInvocationAlreadyExists';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** RFC 3986 percent-encoding of a UTF-8 string: everything but A-Z a-z 0-9 - _ . ~ becomes %XX. */
function rfc3986(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function canonicalRequest(method: string, rawUrl: string, headers: IncomingHttpHeaders, signed: string[], payloadHash: string): string {
  const [rawPath = '/', rawQuery = ''] = rawUrl.split('?', 2);
  const path = rawPath.split('/').map((seg) => rfc3986(decodeURIComponent(seg))).join('/');
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

export async function startFcApiStandIn({
  credentials,
  functions,
  now = Date.now,
  onTask,
}: {
  /** Known AccessKey ids with their secret and, for STS credentials, the token that must accompany them. */
  credentials: Record<string, { secret: string; securityToken?: string }>;
  /** Function names that exist. */
  functions: string[];
  now?: () => number;
  /** Called with each accepted task (e.g. to run it, see fcAsyncDispatcher). */
  onTask?: (task: RecordedTask) => void;
}): Promise<FcApiStandIn> {
  const tasks: RecordedTask[] = [];
  const requests: FcApiStandIn['requests'] = [];
  const seenTaskIds = new Set<string>();
  const seenNonces = new Set<string>();
  let failure: { status: number; code: string } | undefined;

  type Verdict = { status: number; code?: string; message?: string };
  function authenticate(method: string, rawUrl: string, headers: IncomingHttpHeaders, body: Buffer): Verdict | undefined {
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
    if (headers['x-acs-content-sha256'] !== sha256(body)) return { status: 400, code: 'InvalidArgument', message: 'x-acs-content-sha256 does not match the body' };
    const date = String(headers['x-acs-date'] ?? '');
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(date) || Math.abs(Date.parse(date) - now()) > 15 * 60_000) return { status: 403, code: 'InvalidTimeStamp.Expired', message: `x-acs-date ${date} is not within 15 minutes` };
    const nonce = String(headers['x-acs-signature-nonce'] ?? '');
    if (!nonce || seenNonces.has(nonce)) return { status: 403, code: 'SignatureNonceUsed', message: 'x-acs-signature-nonce missing or already used' };
    if (account.securityToken !== undefined && headers['x-acs-security-token'] !== account.securityToken) return { status: 403, code: 'InvalidSecurityToken.Mismatch', message: 'x-acs-security-token missing or wrong' };
    const toSign = `ACS3-HMAC-SHA256\n${sha256(canonicalRequest(method, rawUrl, headers, signed, sha256(body)))}`;
    const expected = createHmac('sha256', account.secret).update(toSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature does not conform to Aliyun standards.' };
    seenNonces.add(nonce);
    if (headers['x-acs-action'] !== 'InvokeFunction' || headers['x-acs-version'] !== '2023-03-30') return { status: 400, code: 'InvalidAction', message: 'expected x-acs-action InvokeFunction, x-acs-version 2023-03-30' };
    return undefined;
  }

  function invoke(rawUrl: string, headers: IncomingHttpHeaders, body: Buffer, requestId: string): Verdict {
    const route = /^\/2023-03-30\/functions\/([^/?]+)\/invocations(?:\?|$)/.exec(rawUrl);
    if (!route) return { status: 404, code: 'PathNotSupported', message: `${rawUrl} is not supported` };
    const functionName = decodeURIComponent(route[1]!);
    if (!functions.includes(functionName)) return { status: 404, code: 'FunctionNotFound', message: `function '${functionName}' does not exist` };
    if (failure) return { status: failure.status, code: failure.code, message: 'the stand-in was told to fail' };
    if (headers['x-fc-invocation-type'] !== 'Async') return { status: 400, code: 'InvalidArgument', message: 'this stand-in only accepts x-fc-invocation-type: Async' };
    if (body.length > 128 * 1024) return { status: 400, code: 'EntityTooLarge', message: `payload size exceeds maximum allowed size (${128 * 1024} bytes)` };
    const taskId = String(headers['x-fc-async-task-id'] ?? '') || requestId;
    if (!/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/.test(taskId)) return { status: 400, code: 'InvalidArgument', message: `invalid async task id ${taskId}` };
    if (seenTaskIds.has(taskId)) return { status: 409, code: DUPLICATE_TASK_CODE, message: `async task ${taskId} already exists` };
    seenTaskIds.add(taskId);
    const task = { functionName, taskId, requestId, body: body.toString('utf8'), headers };
    tasks.push(task);
    onTask?.(task);
    return { status: 202 };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rawUrl = req.url ?? '/';
      const requestId = `1-${randomUUID()}`;
      const verdict = req.method !== 'POST' ? { status: 405, code: 'MethodNotAllowed' } : (authenticate(req.method, rawUrl, req.headers, body) ?? invoke(rawUrl, req.headers, body, requestId));
      requests.push({ method: req.method ?? '', path: rawUrl, status: verdict.status, ...(verdict.code ? { code: verdict.code } : {}) });
      const headers = { 'x-fc-request-id': requestId, 'content-type': 'application/json' };
      if (verdict.status < 300) {
        res.writeHead(verdict.status, headers).end();
        return;
      }
      res.writeHead(verdict.status, headers).end(JSON.stringify({ Code: verdict.code, Message: verdict.message ?? '', RequestId: requestId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tasks,
    requests,
    failWith: (status, code) => {
      failure = { status, code };
    },
    recover: () => {
      failure = undefined;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
