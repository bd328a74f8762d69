/**
 * The bad-HTTP-input battery of test/faults/badHttpInput.test.ts: every kind of malformed, unsigned,
 * oversized or hostile request to the webhook and operator endpoints, with the answer each must get.
 * Real bytes over raw sockets where fetch would tidy them up.
 */
import { createHmac } from 'node:crypto';
import { rawRequest, type RawAnswer } from './rawHttp.ts';
import { rawSocketAnswer } from './rawSocketAnswer.ts';
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

const MB = 1024 * 1024;
const hmac = (secret: string, body: string | Uint8Array): string => createHmac('sha256', secret).update(body).digest('hex');

/** Every kind of bad input against the running site fixture. */
export function badHttpCases(site: SiteFixture): Case[] {
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

  function cases(): Case[] {
    const big = (n: number): Buffer => Buffer.alloc(n, 0x20);
    let dupGuid = '';
    return [
      // Signatures: checked over the raw bytes before anything is parsed.
      {
        group: 'signature',
        kind: 'missing X-Hub-Signature-256',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => post(await harmless(), { headers: { 'x-hub-signature-256': undefined } }),
      },
      {
        group: 'signature',
        kind: 'signature of another body',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => post(await harmless(), { headers: { 'x-hub-signature-256': `sha256=${hmac(site.secret, '{}')}` } }),
      },
      {
        group: 'signature',
        kind: 'sha1 only (X-Hub-Signature)',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => {
          const d = await harmless();
          return post(d, {
            headers: { 'x-hub-signature-256': undefined, 'x-hub-signature': `sha1=${createHmac('sha1', site.secret).update(d.body).digest('hex')}` },
          });
        },
      },
      {
        group: 'signature',
        kind: 'wrong secret',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => {
          const d = await harmless();
          return post(d, { headers: { 'x-hub-signature-256': `sha256=${hmac('not-the-secret', d.body)}` } });
        },
      },
      {
        group: 'signature',
        kind: 'truncated hex (63 digits)',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => {
          const d = await harmless();
          return post(d, { headers: { 'x-hub-signature-256': d.headers['x-hub-signature-256']!.slice(0, -1) } });
        },
      },
      {
        group: 'signature',
        kind: 'truncated hex (62 digits = 31 bytes)',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => {
          const d = await harmless();
          return post(d, { headers: { 'x-hub-signature-256': d.headers['x-hub-signature-256']!.slice(0, -2) } });
        },
      },
      {
        group: 'signature',
        kind: 'valid digest + trailing garbage',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => {
          const d = await harmless();
          return post(d, { headers: { 'x-hub-signature-256': `${d.headers['x-hub-signature-256']}zz` } });
        },
      },
      {
        group: 'signature',
        kind: 'valid digest + one more hex digit',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => {
          const d = await harmless();
          return post(d, { headers: { 'x-hub-signature-256': `${d.headers['x-hub-signature-256']}0` } });
        },
      },
      {
        group: 'signature',
        kind: 'uppercase hex of the right digest',
        expect: 'passed',
        status: 202,
        says: /no file under the docs folders/,
        send: async () => {
          const d = await harmless();
          return post(d, { headers: { 'x-hub-signature-256': `sha256=${d.headers['x-hub-signature-256']!.slice(7).toUpperCase()}` } });
        },
      },
      {
        group: 'signature',
        kind: 'no "sha256=" prefix',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => {
          const d = await harmless();
          return post(d, { headers: { 'x-hub-signature-256': d.headers['x-hub-signature-256']!.slice(7) } });
        },
      },
      {
        group: 'signature',
        kind: 'empty signature header',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => post(await harmless(), { headers: { 'x-hub-signature-256': '' } }),
      },
      {
        group: 'signature',
        kind: 'body re-serialized (other whitespace)',
        expect: 'refused',
        status: 401,
        says: /signature/,
        send: async () => {
          const d = await harmless();
          return post(d, { body: JSON.stringify(JSON.parse(d.body), null, 2) });
        },
      },

      // Headers.
      {
        group: 'headers',
        kind: 'missing X-GitHub-Event',
        expect: 'refused',
        status: 400,
        says: /X-GitHub-Event/,
        send: async () => post(await harmless(), { headers: { 'x-github-event': undefined } }),
      },
      {
        group: 'headers',
        kind: 'missing X-GitHub-Delivery',
        expect: 'refused',
        status: 400,
        says: /X-GitHub-Delivery/,
        send: async () => post(await harmless(), { headers: { 'x-github-delivery': undefined } }),
      },
      {
        group: 'headers',
        kind: 'delivery id of 10,000 characters',
        expect: 'refused',
        status: 400,
        says: /X-GitHub-Delivery/,
        send: async () => post(await harmless(), { headers: { 'x-github-delivery': 'a'.repeat(10_000) } }),
      },
      {
        group: 'headers',
        kind: 'delivery id of 64 KB (over the header limit)',
        expect: 'refused',
        status: 431,
        send: async () => post(await harmless(), { headers: { 'x-github-delivery': 'a'.repeat(64 * 1024) } }),
      },
      {
        group: 'headers',
        kind: 'delivery id "../../etc/passwd x"',
        expect: 'refused',
        status: 400,
        says: /X-GitHub-Delivery/,
        send: async () => post(await harmless(), { headers: { 'x-github-delivery': '../../etc/passwd x' } }),
      },
      {
        group: 'headers',
        kind: 'delivery id with latin-1 bytes',
        expect: 'refused',
        status: 400,
        says: /X-GitHub-Delivery/,
        send: async () => post(await harmless(), { headers: { 'x-github-delivery': 'd\u00e9livr\u00e9e' } }),
      },
      {
        group: 'headers',
        kind: 'no content type',
        expect: 'refused',
        status: 415,
        says: /content type/,
        send: async () => post(await harmless(), { headers: { 'content-type': undefined } }),
      },
      {
        group: 'headers',
        kind: 'content type text/plain',
        expect: 'refused',
        status: 415,
        says: /content type/,
        send: async () => post(await harmless(), { headers: { 'content-type': 'text/plain' } }),
      },
      {
        group: 'headers',
        kind: 'content type multipart/form-data',
        expect: 'refused',
        status: 415,
        says: /content type/,
        send: async () => post(await harmless(), { headers: { 'content-type': 'multipart/form-data; boundary=x' } }),
      },
      {
        group: 'headers',
        kind: 'content type application/json; charset=utf-8',
        expect: 'passed',
        status: 202,
        says: /no file under the docs folders/,
        send: async () => post(await harmless(), { headers: { 'content-type': 'application/json; charset=utf-8' } }),
      },
      {
        group: 'headers',
        kind: 'content type APPLICATION/JSON;CHARSET=UTF-8',
        expect: 'passed',
        status: 202,
        says: /no file under the docs folders/,
        send: async () => post(await harmless(), { headers: { 'content-type': 'APPLICATION/JSON;CHARSET=UTF-8' } }),
      },
      {
        group: 'headers',
        kind: 'content type …; charset=iso-8859-1 (ASCII body)',
        expect: 'passed',
        status: 202,
        says: /no file under the docs folders/,
        send: async () => post(await harmless(), { headers: { 'content-type': 'application/json; charset=iso-8859-1' } }),
      },
      {
        group: 'headers',
        kind: 'form-encoded payload=…',
        expect: 'passed',
        status: 202,
        says: /no file under the docs folders/,
        send: async () => post(await harmless({ form: true })),
      },

      // Bodies (all correctly signed: the refusal is about the body itself).
      { group: 'body', kind: 'not JSON', expect: 'refused', status: 400, says: /malformed body/, send: () => signed('this is not json') },
      { group: 'body', kind: 'a JSON array', expect: 'refused', status: 400, says: /malformed push payload/, send: () => signed('[1,2,3]') },
      { group: 'body', kind: 'JSON null', expect: 'refused', status: 400, says: /malformed push payload/, send: () => signed('null') },
      { group: 'body', kind: 'empty body', expect: 'refused', status: 400, says: /malformed body/, send: () => signed('') },
      {
        group: 'body',
        kind: 'form body without payload field',
        expect: 'refused',
        status: 400,
        says: /payload/,
        send: () => signed('foo=bar', { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      {
        group: 'body',
        kind: 'form payload that is not JSON',
        expect: 'refused',
        status: 400,
        says: /malformed body/,
        send: () => signed('payload=%7Bnope', { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      {
        group: 'body',
        kind: 'invalid UTF-8 bytes',
        expect: 'refused',
        status: 400,
        says: /malformed body/,
        send: () => signed(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])),
      },
      { group: 'body', kind: 'JSON nested 100,000 deep', expect: 'refused', status: 400, send: () => signed('['.repeat(100_000) + ']'.repeat(100_000)) },
      { group: 'body', kind: '25 MB + 1 byte with content-length', expect: 'refused', status: 413, says: /larger than/, send: () => signed(big(25 * MB + 1)) },
      {
        group: 'body',
        kind: '25 MB + 1 byte chunked (no length)',
        expect: 'refused',
        status: 413,
        says: /larger than/,
        send: async () => {
          const body = big(25 * MB + 1);
          return rawRequest(`${url}/webhook`, {
            chunked: true,
            headers: {
              'content-type': 'application/json',
              'x-github-event': 'push',
              'x-github-delivery': crypto.randomUUID(),
              'x-hub-signature-256': `sha256=${hmac(site.secret, body)}`,
            },
            body: split(body, 64 * 1024),
          });
        },
      },
      // Past the adapter's 26 MB cap the server answers 413 and closes without reading the rest: the client may
      // see the reset before the answer (TCP drops unread data), so "no answer" is accepted here too.
      {
        group: 'body',
        kind: '64 MB chunked (past the adapter cap)',
        expect: 'refused',
        status: [413, 0],
        send: () =>
          rawRequest(`${url}/webhook`, {
            chunked: true,
            headers: {
              'content-type': 'application/json',
              'x-github-event': 'push',
              'x-github-delivery': crypto.randomUUID(),
              'x-hub-signature-256': 'sha256=00',
            },
            body: split(big(64 * MB), 256 * 1024),
          }),
      },
      {
        group: 'body',
        kind: 'valid delivery sent chunked in 7-byte pieces',
        expect: 'passed',
        status: 202,
        says: /no file under the docs folders/,
        send: async () => {
          const d = await harmless();
          return post(d, { chunked: true, body: split(Buffer.from(d.body), 7) });
        },
      },
      {
        group: 'body',
        kind: 'content-length and chunked together (smuggling shape)',
        expect: 'refused',
        status: 400,
        send: async () => {
          const d = await harmless();
          return rawSocketAnswer(
            url,
            `POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: ${d.guid}\r\nX-Hub-Signature-256: ${d.headers['x-hub-signature-256']}\r\nContent-Length: ${Buffer.byteLength(d.body)}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${Buffer.byteLength(d.body).toString(16)}\r\n${d.body}\r\n0\r\n\r\n`,
          );
        },
      },
      {
        group: 'body',
        kind: 'upload cut short (length 10,000, 10 bytes sent)',
        expect: 'no answer',
        status: [0, 400],
        send: () =>
          rawSocketAnswer(
            url,
            `POST /webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: ${crypto.randomUUID()}\r\nX-Hub-Signature-256: sha256=00\r\nContent-Length: 10000\r\n\r\n{"ref":"x"`,
            true,
          ),
      },

      // Events.
      {
        group: 'event',
        kind: 'unknown event "no_such_event"',
        expect: 'skipped',
        status: 202,
        says: /unknown event/,
        send: async () => post(await signedDelivery(site.secret, 'no_such_event', { zen: 'x' })),
      },
      {
        group: 'event',
        kind: 'ping',
        expect: 'ping',
        status: 200,
        send: async () => post(await signedDelivery(site.secret, 'ping', { zen: 'Keep it logically awesome.', hook_id: 1 })),
      },
      {
        group: 'event',
        kind: 'issues',
        expect: 'skipped',
        status: 202,
        says: /does not trigger builds/,
        send: async () => {
          const d = await signedDelivery(site.secret, 'issues', { action: 'opened', issue: { number: 1 }, repository: { full_name: REPO.full } });
          dupGuid = d.guid;
          return post(d);
        },
      },
      {
        group: 'event',
        kind: 'push event with an issues payload',
        expect: 'refused',
        status: 400,
        says: /malformed push payload/,
        send: () => signedPush({ action: 'opened', issue: { number: 1 } }),
      },
      {
        group: 'event',
        kind: 'pull_request event with an issues payload',
        expect: 'refused',
        status: 400,
        says: /malformed pull_request payload/,
        send: async () => post(await signedDelivery(site.secret, 'pull_request', { action: 'opened', issue: { number: 1 } })),
      },
      {
        group: 'event',
        kind: 'pull_request whose head sha is a path',
        expect: 'refused',
        status: 400,
        says: /pull_request\.head\.sha/,
        send: async () => {
          const repo = { full_name: REPO.full, default_branch: 'main' };
          const pr = {
            number: 1,
            html_url: `https://github.com/${REPO.full}/pull/1`,
            head: { ref: 'x', sha: '../../etc/passwd', repo },
            base: { ref: 'main', repo },
          };
          return post(await signedDelivery(site.secret, 'pull_request', { action: 'opened', number: 1, pull_request: pr, repository: repo }));
        },
      },
      {
        group: 'event',
        kind: 'same delivery id again',
        expect: 'duplicate',
        status: 200,
        send: async () => post(await signedDelivery(site.secret, 'issues', { action: 'opened' }, { guid: dupGuid })),
      },
      { group: 'event', kind: 'GET /webhook', expect: 'refused', status: 405, send: () => rawRequest(`${url}/webhook`, { method: 'GET' }) },

      // Refs and repositories.
      {
        group: 'ref',
        kind: 'tag refs/tags/v1.0',
        expect: 'skipped',
        status: 202,
        says: /not a branch/,
        send: () => signedPush({ ...push('main'), ref: 'refs/tags/v1.0' }),
      },
      {
        group: 'ref',
        kind: 'branch deleted',
        expect: 'skipped',
        status: 202,
        says: /deleted/,
        send: () => signedPush(push('main', { deleted: true, sha: '0'.repeat(40) })),
      },
      {
        group: 'ref',
        kind: 'refs/heads/ (empty branch name)',
        expect: 'skipped',
        status: 202,
        says: /not tracked/,
        send: () => signedPush({ ...push('main'), ref: 'refs/heads/' }),
      },
      { group: 'ref', kind: 'refs/heads/../main', expect: 'skipped', status: 202, says: /not tracked/, send: () => signedPush(push('../main')) },
      { group: 'ref', kind: 'refs/heads/main + newline', expect: 'skipped', status: 202, says: /not tracked/, send: () => signedPush(push('main\n')) },
      { group: 'ref', kind: 'refs/heads/MAIN (other case)', expect: 'skipped', status: 202, says: /not tracked/, send: () => signedPush(push('MAIN')) },
      {
        group: 'ref',
        kind: 'refs/heads/<script> and 300 chars',
        expect: 'skipped',
        status: 202,
        says: /not tracked/,
        send: () => signedPush(push(`<script>alert(1)</script>${'x'.repeat(300)}`)),
      },
      {
        group: 'ref',
        kind: 'ref is a number',
        expect: 'refused',
        status: 400,
        says: /malformed push payload/,
        send: () => signedPush({ ...push('main'), ref: 42 }),
      },
      {
        group: 'ref',
        kind: 'repository missing',
        expect: 'refused',
        status: 400,
        says: /malformed push payload/,
        send: () => {
          const p = push('main');
          delete p.repository;
          return signedPush(p);
        },
      },
      {
        group: 'ref',
        kind: 'untracked repository',
        expect: 'skipped',
        status: 202,
        says: /not in the sources file/,
        send: () => signedPush(push('main', {}, 'acme/other')),
      },
      { group: 'ref', kind: 'untracked branch "dev"', expect: 'skipped', status: 202, says: /not tracked/, send: () => signedPush(push('dev')) },
      {
        group: 'ref',
        kind: '"after" is not a commit sha',
        expect: 'refused',
        status: 400,
        says: /after/,
        send: () => signedPush(push('main', { sha: '../../etc/passwd' })),
      },
    ];
  }
  return cases();
}

type RawRequestBody = Uint8Array | string | Array<Uint8Array | string>;

function split(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}
