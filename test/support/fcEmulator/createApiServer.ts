/**
 * The emulator's FC OpenAPI: InvokeFunction signed with ACS3-HMAC-SHA256 (checked by
 * createAcs3Verifier), Async into the task queue (the task id rules, 409 on a repeat, the 128 KB
 * limit, x-fc-async-delay), Sync straight to the function's POST /invoke. Errors in FC 3.0's {Code, Message, RequestId}.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AsyncQueue } from './createAsyncQueue.ts';
import { createAcs3Verifier, TASK_ID, type Acs3Credentials } from './createAcs3Verifier.ts';
import type { FunctionRunner } from './createFunctionRunner.ts';
import { readRequestBody } from './readRequestBody.ts';

function fcError(res: ServerResponse, status: number, code: string, message: string, requestId: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'x-fc-request-id': requestId })
    .end(JSON.stringify({ Code: code, Message: message, RequestId: requestId }));
}

export function createApiServer({
  runners,
  queue,
  credentials,
  delayScale = 1,
}: {
  runners: Map<string, FunctionRunner>;
  queue: AsyncQueue;
  credentials: Acs3Credentials /** Multiplies x-fc-async-delay (tests shorten FC's seconds). */;
  delayScale?: number;
}): { server: Server; requests: Array<{ path: string; status: number; code?: string }> } {
  const verify = createAcs3Verifier(credentials);
  const requests: Array<{ path: string; status: number; code?: string }> = [];
  const server = createServer(async (req, res) => {
    const body = await readRequestBody(req);
    const requestId = `1-${randomUUID()}`;
    const rawUrl = req.url ?? '/';
    const refuse = (status: number, code: string, message: string) => {
      requests.push({ path: rawUrl, status, code });
      fcError(res, status, code, message, requestId);
    };
    if (req.method !== 'POST') return refuse(405, 'MethodNotAllowed', 'use POST');
    const bad = verify(req.method, rawUrl, req.headers, body);
    if (bad) return refuse(bad.status, bad.code ?? 'Error', bad.message ?? '');
    const route = /^\/2023-03-30\/functions\/([^/?]+)\/invocations(?:\?|$)/.exec(rawUrl);
    if (!route) return refuse(404, 'PathNotSupported', `${rawUrl} is not supported`);
    const name = decodeURIComponent(route[1]!);
    const runner = runners.get(name);
    if (!runner) return refuse(404, 'FunctionNotFound', `function '${name}' does not exist`);
    if (req.headers['x-fc-invocation-type'] === 'Async') {
      const taskId = String(req.headers['x-fc-async-task-id'] ?? '') || requestId;
      if (!TASK_ID.test(taskId)) return refuse(400, 'InvalidArgument', `invalid async task id ${taskId}`);
      const delay = String(req.headers['x-fc-async-delay'] ?? '0');
      if (!/^\d{1,4}$/.test(delay) || Number(delay) > 3600) return refuse(400, 'InvalidArgument', `x-fc-async-delay must be 0-3600 seconds, not ${delay}`);
      const refused = queue.accept(name, taskId, body, Number(delay) * 1000 * delayScale);
      if (refused) return refuse(refused.status, refused.code, refused.message);
      requests.push({ path: rawUrl, status: 202 });
      res.writeHead(202, { 'x-fc-request-id': requestId }).end();
      return;
    }
    const d = await runner.dispatch({
      method: 'POST',
      path: '/invoke',
      headers: { 'content-type': 'application/octet-stream', 'x-fc-request-id': requestId, 'x-fc-invocation-type': 'Sync' },
      body,
    });
    requests.push({ path: rawUrl, status: d.status });
    res.writeHead(d.status, { 'content-type': d.headers['content-type'] ?? 'application/octet-stream', 'x-fc-request-id': requestId }).end(d.body);
  });
  return { server, requests };
}
