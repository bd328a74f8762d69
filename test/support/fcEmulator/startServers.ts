/**
 * The emulator's two HTTP faces: FC's OpenAPI (InvokeFunction, ACS3-signed: Async into the queue,
 * Sync straight to the function) and an HTTP trigger per function that has one (requests passed
 * through with the x-fc-* headers FC adds, the invocation's credentials included).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AsyncQueue } from './createAsyncQueue.ts';
import type { FunctionRunner } from './createFunctionRunner.ts';
import { createAcs3Verifier, TASK_ID, type Acs3Credentials } from './verifyAcs3.ts';

const readAll = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

function fcError(res: ServerResponse, status: number, code: string, message: string, requestId: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-fc-request-id': requestId }).end(JSON.stringify({ Code: code, Message: message, RequestId: requestId }));
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

export function createApiServer({ runners, queue, credentials }: { runners: Map<string, FunctionRunner>; queue: AsyncQueue; credentials: Acs3Credentials }): { server: Server; requests: Array<{ path: string; status: number; code?: string }> } {
  const verify = createAcs3Verifier(credentials);
  const requests: Array<{ path: string; status: number; code?: string }> = [];
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
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
      const refused = queue.accept(name, taskId, body);
      if (refused) return refuse(refused.status, refused.code, refused.message);
      requests.push({ path: rawUrl, status: 202 });
      res.writeHead(202, { 'x-fc-request-id': requestId }).end();
      return;
    }
    const d = await runner.dispatch({ method: 'POST', path: '/invoke', headers: { 'content-type': 'application/octet-stream', 'x-fc-request-id': requestId, 'x-fc-invocation-type': 'Sync' }, body });
    requests.push({ path: rawUrl, status: d.status });
    res.writeHead(d.status, { 'content-type': d.headers['content-type'] ?? 'application/octet-stream', 'x-fc-request-id': requestId }).end(d.body);
  });
  return { server, requests };
}

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export function createTriggerServer({ runner, credentials }: { runner: FunctionRunner; credentials: () => { accessKeyId: string; accessKeySecret: string; securityToken: string } }): Server {
  return createServer(async (req, res) => {
    const body = await readAll(req);
    const requestId = `1-${randomUUID()}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k) && !k.startsWith('x-fc-')) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const c = credentials();
    Object.assign(headers, { 'x-fc-request-id': requestId, 'x-fc-access-key-id': c.accessKeyId, 'x-fc-access-key-secret': c.accessKeySecret, 'x-fc-security-token': c.securityToken, 'content-length': String(body.length) });
    const d = await runner.dispatch({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body });
    const out: Record<string, string> = { 'x-fc-request-id': requestId };
    for (const [k, v] of Object.entries(d.headers)) if (!HOP.has(k) && k !== 'content-length') out[k] = v;
    res.writeHead(d.status, out).end(d.body);
  });
}
