/**
 * A stand-in for the Function Compute 3.0 API's InvokeFunction (POST /2023-03-30/functions/<name>/
 * invocations) on 127.0.0.1. It checks what FC checks for an async invocation: an ACS3-HMAC-SHA256
 * signature (verified here with its own implementation of the documented algorithm, not with the
 * code under test), the STS token, the body digest and date, `x-fc-invocation-type: Async`, the 128 KB
 * async payload limit and the async task id rules; it records accepted tasks and refuses a repeated
 * task id with 409 like FC's task de-duplication. Errors use FC 3.0's body shape {Code, Message, RequestId}.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAcs3Verifier, DUPLICATE_TASK_CODE, MAX_ASYNC_PAYLOAD, TASK_ID, type Verdict } from './fcEmulator/createAcs3Verifier.ts';

export { DUPLICATE_TASK_CODE };

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
  let failure: { status: number; code: string } | undefined;

  const authenticate = createAcs3Verifier(credentials, now);

  function invoke(rawUrl: string, headers: IncomingHttpHeaders, body: Buffer, requestId: string): Verdict {
    const route = /^\/2023-03-30\/functions\/([^/?]+)\/invocations(?:\?|$)/.exec(rawUrl);
    if (!route) return { status: 404, code: 'PathNotSupported', message: `${rawUrl} is not supported` };
    const functionName = decodeURIComponent(route[1]!);
    if (!functions.includes(functionName)) return { status: 404, code: 'FunctionNotFound', message: `function '${functionName}' does not exist` };
    if (failure) return { status: failure.status, code: failure.code, message: 'the stand-in was told to fail' };
    if (headers['x-fc-invocation-type'] !== 'Async')
      return { status: 400, code: 'InvalidArgument', message: 'this stand-in only accepts x-fc-invocation-type: Async' };
    if (body.length > MAX_ASYNC_PAYLOAD)
      return { status: 400, code: 'EntityTooLarge', message: `payload size exceeds maximum allowed size (${MAX_ASYNC_PAYLOAD} bytes)` };
    const taskId = String(headers['x-fc-async-task-id'] ?? '') || requestId;
    if (!TASK_ID.test(taskId)) return { status: 400, code: 'InvalidArgument', message: `invalid async task id ${taskId}` };
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
      const verdict =
        req.method !== 'POST'
          ? { status: 405, code: 'MethodNotAllowed' }
          : (authenticate(req.method, rawUrl, req.headers, body) ?? invoke(rawUrl, req.headers, body, requestId));
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
