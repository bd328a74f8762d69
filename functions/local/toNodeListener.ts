import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** Bodies larger than this are refused here with 413 (the webhook's own limit is 25 MB). */
const MAX_BODY_BYTES = 26 * 1024 * 1024;
/** Responses up to this size are sent in one write instead of being streamed. */
const BUFFER_RESPONSE_BYTES = 1024 * 1024;

/** Read a Node request body into one buffer, or undefined when it is larger than `limit`. */
function readNodeBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/**
 * Adapt a web-standard handler to `node:http`. Request bodies are read into memory with a hard cap
 * (webhook and rebuild bodies are small; this is much cheaper than a web stream); small responses
 * are written in one go, large ones (site files) are streamed.
 */
export function toNodeListener(handler: (request: Request) => Promise<Response>, log: (line: string) => void = console.error) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      const init: RequestInit = { method: req.method ?? 'GET', headers };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const declared = Number(req.headers['content-length'] ?? 0);
        const body = declared > MAX_BODY_BYTES ? undefined : await readNodeBody(req, MAX_BODY_BYTES);
        if (body === undefined) {
          res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
          res.end(`{"error":"body larger than ${MAX_BODY_BYTES} bytes"}\n`);
          return;
        }
        init.body = new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>;
      }
      const response = await handler(new Request(url, init));
      const outHeaders: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        outHeaders[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) outHeaders['set-cookie'] = cookies;
      if (!response.body || req.method === 'HEAD') {
        res.writeHead(response.status, outHeaders);
        res.end();
        return;
      }
      const length = Number(response.headers.get('content-length') ?? NaN);
      const small = Number.isNaN(length) ? /json|text\/plain/.test(response.headers.get('content-type') ?? '') : length <= BUFFER_RESPONSE_BYTES;
      if (small) {
        const bytes = Buffer.from(await response.arrayBuffer());
        outHeaders['content-length'] = String(bytes.length);
        res.writeHead(response.status, outHeaders);
        res.end(bytes);
        return;
      }
      res.writeHead(response.status, outHeaders);
      // pipeline, not pipe: when the reader goes away mid-download the body is destroyed too, which
      // cancels the web stream and closes whatever it reads (a site file's handle); a body that
      // fails mid-way destroys the response, so the reader sees a cut connection, not a short file.
      await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res).catch(() => {});
      return;
    } catch (err) {
      log(`HTTP adapter error on ${req.method} ${req.url}: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"error":"internal error"}\n');
    }
  };
}
