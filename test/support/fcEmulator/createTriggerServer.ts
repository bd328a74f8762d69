/**
 * An HTTP trigger of the emulator: each request passed through to the function's instance as FC
 * does, hop-by-hop headers dropped and FC's x-fc-* headers added (the request id and the invocation's
 * STS credentials); anything x-fc-* the caller sent is not passed on.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FunctionRunner } from './createFunctionRunner.ts';
import { readRequestBody } from './readRequestBody.ts';

const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export function createTriggerServer({
  runner,
  credentials,
}: {
  runner: FunctionRunner;
  credentials: () => { accessKeyId: string; accessKeySecret: string; securityToken: string };
}): Server {
  return createServer(async (req, res) => {
    const body = await readRequestBody(req);
    const requestId = `1-${randomUUID()}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined && !HOP.has(k) && !k.startsWith('x-fc-')) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const c = credentials();
    Object.assign(headers, {
      'x-fc-request-id': requestId,
      'x-fc-access-key-id': c.accessKeyId,
      'x-fc-access-key-secret': c.accessKeySecret,
      'x-fc-security-token': c.securityToken,
      'content-length': String(body.length),
    });
    const d = await runner.dispatch({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body });
    const out: Record<string, string> = { 'x-fc-request-id': requestId };
    for (const [k, v] of Object.entries(d.headers)) if (!HOP.has(k) && k !== 'content-length') out[k] = v;
    res.writeHead(d.status, out).end(d.body);
  });
}
