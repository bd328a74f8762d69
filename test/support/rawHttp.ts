/**
 * HTTP requests as a misbehaving client sends them, over real sockets on 127.0.0.1: no content type,
 * chunked bodies without a length, bodies of tens of MB streamed in pieces, odd header values, or
 * arbitrary bytes written to a raw TCP socket. Answers are read whatever happens to the upload (a
 * server may answer 413 and close before the body is sent), so the status is always reported.
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface RawAnswer {
  /** 0 when the connection failed before any answer. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's bytes exactly as received. */
  bytes: Buffer;
  /** Parsed JSON body, when the body is JSON. */
  json?: any;
  /** Error seen on the socket (e.g. EPIPE while uploading after the server answered). */
  socketError?: string;
}

export interface RawRequest {
  method?: string;
  headers?: OutgoingHttpHeaders;
  /** The whole body, or pieces written one after the other (chunked unless content-length is set). */
  body?: Uint8Array | string | Array<Uint8Array | string>;
  /** Send `transfer-encoding: chunked` (no content-length) even for a single-piece body. */
  chunked?: boolean;
  timeoutMs?: number;
}

function finish(status: number, headers: RawAnswer['headers'], raw: Buffer, socketError?: string): RawAnswer {
  const text = raw.toString('utf8');
  const answer: RawAnswer = { status, headers, text, bytes: raw };
  if (/json/.test(String(headers['content-type'] ?? ''))) {
    try {
      answer.json = JSON.parse(text);
    } catch {
      // not JSON after all: keep the text
    }
  }
  if (socketError) answer.socketError = socketError;
  return answer;
}

/** One request over a fresh connection (no keep-alive), returning the answer whatever the upload did. */
export function rawRequest(url: string, req: RawRequest = {}): Promise<RawAnswer> {
  const pieces = req.body === undefined ? [] : Array.isArray(req.body) ? req.body : [req.body];
  const headers: OutgoingHttpHeaders = { connection: 'close', ...req.headers };
  const hasLength = Object.keys(headers).some((h) => h.toLowerCase() === 'content-length');
  if (!hasLength && !req.chunked && pieces.length <= 1) {
    headers['content-length'] = String(pieces.length ? Buffer.byteLength(pieces[0]!) : 0);
  }
  return new Promise((resolve) => {
    let socketError: string | undefined;
    let settled = false;
    const done = (a: RawAnswer): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(a);
      }
    };
    const r = httpRequest(url, { method: req.method ?? 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(finish(res.statusCode ?? 0, res.headers, Buffer.concat(chunks), socketError)));
      res.on('error', () => done(finish(res.statusCode ?? 0, res.headers, Buffer.concat(chunks), socketError)));
    });
    const timer = setTimeout(() => {
      r.destroy(new Error('timed out'));
      done({ status: 0, headers: {}, text: '', bytes: Buffer.alloc(0), socketError: `no answer within ${req.timeoutMs ?? 60_000} ms` });
    }, req.timeoutMs ?? 60_000);
    r.on('error', (err) => {
      socketError = (err as NodeJS.ErrnoException).code ?? err.message;
      // An answer may still arrive after an upload error; give it a moment.
      setTimeout(() => done({ status: 0, headers: {}, text: '', bytes: Buffer.alloc(0), socketError }), 2000);
    });
    (async () => {
      for (const p of pieces) {
        if (r.destroyed) return;
        if (r.write(p)) continue;
        await new Promise<void>((ok) => {
          const go = (): void => {
            r.off('drain', go);
            r.off('close', go);
            ok();
          };
          r.on('drain', go);
          r.on('close', go);
        });
      }
      if (!r.destroyed) r.end();
    })().catch(() => {});
  });
}

/** Write `bytes` to a raw TCP connection and return everything the server sends back until it closes. */
export function rawSocket(url: string, bytes: string | Uint8Array, timeoutMs = 10_000): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname);
    const end = (): void => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    };
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', end);
    socket.on('error', () => {});
    socket.write(bytes);
  });
}
