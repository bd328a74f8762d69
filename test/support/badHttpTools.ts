/**
 * Shared request helpers of the bad-HTTP-input battery (badHttpCases.ts): signed, unsigned and raw
 * deliveries to the running site fixture's webhook, built over raw sockets where fetch would tidy them up.
 */
import { createHmac } from 'node:crypto';
import { rawRequest, type RawAnswer } from './rawHttp.ts';
import { pushPayload, signedDelivery, type Delivery } from './signedDelivery.ts';
import { REPO, type SiteFixture } from './siteFixture.ts';

export type Expect = 'refused' | 'skipped' | 'passed' | 'ping' | 'duplicate' | 'no answer';

export interface Case {
  group: string;
  kind: string;
  expect: Expect;
  status: number | number[];
  /** What the answer must say (error or reason). */
  says?: RegExp;
  send: () => Promise<RawAnswer>;
}

export const MB = 1024 * 1024;
export const hmac = (secret: string, body: string | Uint8Array): string => createHmac('sha256', secret).update(body).digest('hex');
export const big = (n: number): Buffer => Buffer.alloc(n, 0x20);

type RawRequestBody = Uint8Array | string | Array<Uint8Array | string>;

export function split(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

/** The helpers every case sends with, bound to the running site fixture. */
export function badHttpTools(site: SiteFixture) {
  const url = site.server.url;
  /** A push that passes every check but touches no docs: answered 202 "skipped", never built. */
  const harmless = (opts: { guid?: string; form?: boolean } = {}): Promise<Delivery> =>
    signedDelivery(site.secret, 'push', pushPayload(REPO.full, 'main', { sha: site.head, before: site.head, commits: [{ modified: ['README.md'] }] }), opts);
  const post = (
    d: { headers: Record<string, string>; body: string | Uint8Array },
    extra: { headers?: Record<string, string | undefined>; chunked?: boolean; body?: RawRequestBody } = {},
  ): Promise<RawAnswer> => {
    const headers: Record<string, string> = { ...d.headers };
    for (const [k, v] of Object.entries(extra.headers ?? {})) {
      if (v === undefined) delete headers[k];
      else headers[k] = v;
    }
    return rawRequest(`${url}/webhook`, { headers, body: extra.body ?? d.body, ...(extra.chunked ? { chunked: true } : {}) });
  };
  /** A signed delivery of arbitrary bytes. */
  const signed = (body: string | Uint8Array, headers: Record<string, string> = {}): Promise<RawAnswer> =>
    rawRequest(`${url}/webhook`, {
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': `sha256=${hmac(site.secret, body)}`,
        ...headers,
      },
      body,
    });
  const signedPush = async (payload: unknown): Promise<RawAnswer> => post(await signedDelivery(site.secret, 'push', payload));
  const push = (branch: string, opts: Parameters<typeof pushPayload>[2] = {}, repo: string = REPO.full): Record<string, any> =>
    pushPayload(repo, branch, { sha: site.head, before: site.head, commits: [{ modified: ['docs/readme.md'] }], ...opts });
  return { url, harmless, post, signed, signedPush, push };
}

export type BadHttpTools = ReturnType<typeof badHttpTools>;
