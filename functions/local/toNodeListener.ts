import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * Adapt a web-standard handler to `node:http`: the request body is streamed (never buffered
 * here), the response body is piped back.
 */
export function toNodeListener(handler: (request: Request) => Promise<Response>, log: (line: string) => void = console.error) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const host = req.headers.host ?? 'localhost';
      const url = new URL(req.url ?? '/', `http://${host}`);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        if (Array.isArray(value)) for (const v of value) headers.append(name, v);
        else headers.set(name, value);
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers };
      if (hasBody) {
        init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
        init.duplex = 'half';
      }
      const response = await handler(new Request(url, init));
      const outHeaders: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        outHeaders[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) outHeaders['set-cookie'] = cookies;
      res.writeHead(response.status, outHeaders);
      if (!response.body || req.method === 'HEAD') {
        res.end();
        return;
      }
      const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
      body.on('error', () => res.destroy());
      body.pipe(res);
    } catch (err) {
      log(`HTTP adapter error: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal error"}\n');
    }
  };
}
