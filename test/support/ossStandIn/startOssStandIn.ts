/**
 * An Object Storage Service stand-in on 127.0.0.1 (port 0): an API endpoint that checks every
 * request's V4 signature independently of the SDK (verifyOssV4) and answers OSS's XML errors, one
 * in-memory bucket, and a second listener serving that bucket as static website hosting does. The
 * bucket is taken from the Host header (`<bucket>.oss-<region>.aliyuncs.com`, what ali-oss sends
 * when its endpoint is an IP address) or, path-style, from the first path segment.
 *
 *   const oss = await startOssStandIn({ bucket: 'docs', accounts: { AK: { secret: 'S' } } });
 *   // OSS_ENDPOINT=oss.url; readers: fetch(`${oss.websiteUrl}/guide/`)
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OssBucket } from './ossBucket.ts';
import { handleOssApi } from './handleOssApi.ts';
import { errorXml } from './ossXml.ts';
import { serveWebsite } from './serveWebsite.ts';
import { type OssAccount, verifyOssV4 } from './verifyOssV4.ts';

export interface OssLogEntry {
  seq: number;
  op: string;
  method: string;
  key: string;
  status: number;
  code?: string;
  /** Request body bytes (what an upload costs). */
  bytes: number;
  deleted?: string[];
}

export interface OssStandIn {
  url: string;
  websiteUrl: string;
  bucket: OssBucket;
  /** Every API request, in the order they were answered. */
  log: OssLogEntry[];
  /** Answer operation `op` (e.g. "CopyObject") with 503 ServiceUnavailable after `after` more successes, until recover(); only for keys matching `keys` when given. */
  failAfter(op: string, after: number, keys?: RegExp): void;
  recover(): void;
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

function send(res: ServerResponse, requestId: string, a: { status: number; headers: Record<string, string>; body: Buffer | string }): void {
  res.writeHead(a.status, { ...a.headers, 'x-oss-request-id': requestId, server: 'AliyunOSS' });
  res.end(a.body);
}

export async function startOssStandIn(opts: { bucket: string; accounts: Record<string, OssAccount>; now?: () => number }): Promise<OssStandIn> {
  const bucket: OssBucket = { name: opts.bucket, objects: new Map() };
  const log: OssLogEntry[] = [];
  const now = opts.now ?? Date.now;
  let failure: { op: string; left: number; keys?: RegExp } | undefined;

  const api = createServer(async (req, res) => {
    const requestId = randomUUID().replace(/-/g, '').toUpperCase().slice(0, 24);
    const body = await readAll(req);
    const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2);
    const host = String(req.headers.host ?? '');
    const virtual = /^([a-z0-9][a-z0-9-]{1,61}[a-z0-9])\.oss-/.exec(host)?.[1];
    let name: string;
    let key: string;
    try {
      const path = decodeURIComponent(rawPath);
      if (virtual) [name, key] = [virtual, path.slice(1)];
      else [name = '', key = ''] = ((m) => (m ? [m[1], m[2] ?? ''] : []))(/^\/([^/]+)\/?(.*)$/s.exec(path));
    } catch {
      return send(res, requestId, { status: 400, headers: {}, body: errorXml('InvalidURI', 'malformed path', requestId) });
    }
    const record = (op: string, status: number, code?: string, deleted?: string[]) =>
      log.push({
        seq: log.length + 1,
        op,
        method: req.method ?? '',
        key,
        status,
        bytes: body.length,
        ...(code ? { code } : {}),
        ...(deleted ? { deleted } : {}),
      });
    if (name !== bucket.name) {
      record('NoSuchBucket', 404, 'NoSuchBucket');
      return send(res, requestId, {
        status: 404,
        headers: { 'content-type': 'application/xml' },
        body: errorXml('NoSuchBucket', 'The specified bucket does not exist.', requestId, { BucketName: name }),
      });
    }
    const denied = verifyOssV4({ method: req.method ?? '', bucket: name, key, rawQuery, headers: req.headers, accounts: opts.accounts, now: now() });
    if (denied) {
      record('Denied', denied.status, denied.code);
      return send(res, requestId, {
        status: denied.status,
        headers: { 'content-type': 'application/xml' },
        body: errorXml(denied.code, denied.message, requestId),
      });
    }
    const op = req.method === 'PUT' ? (req.headers['x-oss-copy-source'] ? 'CopyObject' : 'PutObject') : undefined;
    if (failure && op === failure.op && (!failure.keys || failure.keys.test(key)) && failure.left-- <= 0) {
      record(op, 503, 'ServiceUnavailable');
      return send(res, requestId, {
        status: 503,
        headers: { 'content-type': 'application/xml' },
        body: errorXml('ServiceUnavailable', 'the stand-in was told to fail', requestId),
      });
    }
    const answer = handleOssApi(bucket, { method: req.method ?? '', key, query: new URLSearchParams(rawQuery), headers: req.headers, body, requestId });
    const code = answer.status >= 300 ? /<Code>([^<]+)<\/Code>/.exec(String(answer.body))?.[1] : undefined;
    record(answer.op, answer.status, code, answer.deleted);
    send(res, requestId, answer);
  });

  const website = createServer((req, res) => {
    const requestId = randomUUID().replace(/-/g, '').toUpperCase().slice(0, 24);
    send(res, requestId, serveWebsite(bucket, req.method ?? 'GET', req.url ?? '/', requestId));
  });

  const [url, websiteUrl] = [await listen(api), await listen(website)];
  const close = (s: Server) =>
    new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });
  return {
    url,
    websiteUrl,
    bucket,
    log,
    failAfter: (op, after, keys) => {
      failure = { op, left: after, ...(keys ? { keys } : {}) };
    },
    recover: () => {
      failure = undefined;
    },
    close: async () => {
      await Promise.all([close(api), close(website)]);
    },
  };
}
