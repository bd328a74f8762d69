/**
 * A stand-in for Alibaba Cloud CDN's RefreshObjectCaches (RPC-style OpenAPI, version 2018-05-10, a
 * form-encoded POST) on 127.0.0.1: checks the ACS3-HMAC-SHA256 signature (verifyAcs3), CDN's limit
 * of 1,000 URLs per call, and records each refresh.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyAcs3 } from './verifyAcs3.ts';

export interface CdnStandIn {
  url: string;
  refreshes: Array<{ objectType: string; urls: string[] }>;
  /** Every request with the status it got. */
  requests: Array<{ status: number; code?: string }>;
  close(): Promise<void>;
}

export async function startCdnApiStandIn(credentials: Record<string, { secret: string; securityToken?: string }>): Promise<CdnStandIn> {
  const refreshes: CdnStandIn['refreshes'] = [];
  const requests: CdnStandIn['requests'] = [];
  const seenNonces = new Set<string>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const requestId = randomUUID();
    const answer = (status: number, json: Record<string, unknown>) => {
      requests.push({ status, ...(typeof json.Code === 'string' ? { code: json.Code } : {}) });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ RequestId: requestId, ...json }));
    };
    const denied = verifyAcs3({
      method: req.method ?? '',
      rawUrl: req.url ?? '/',
      headers: req.headers,
      body,
      credentials,
      now: Date.now(),
      seenNonces,
      action: 'RefreshObjectCaches',
      version: '2018-05-10',
    });
    if (denied) return answer(denied.status, { Code: denied.code, Message: denied.message });
    const form = new URLSearchParams(body.toString('utf8'));
    const urls = (form.get('ObjectPath') ?? '').split(/\r?\n/).filter(Boolean);
    const objectType = form.get('ObjectType') ?? 'File';
    if (urls.length === 0) return answer(400, { Code: 'MissingObjectPath', Message: 'ObjectPath is mandatory for this action.' });
    if (objectType === 'File' && urls.length > 1000) return answer(400, { Code: 'InvalidObjectPath.Malformed', Message: 'at most 1,000 URLs per call' });
    if (!urls.every((u) => /^https?:\/\/[^/]+\//.test(u)))
      return answer(400, { Code: 'InvalidObjectPath.Malformed', Message: 'each ObjectPath must be a URL' });
    refreshes.push({ objectType, urls });
    answer(200, { RefreshTaskId: String(refreshes.length + 700000) });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refreshes,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
