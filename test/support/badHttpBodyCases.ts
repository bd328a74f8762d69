/**
 * Body cases of the bad-HTTP-input battery (badHttpCases.ts): all correctly signed, so the refusal is about
 * the body itself — not JSON, wrong shapes, invalid UTF-8, too deep, too large, chunked, smuggled, cut short.
 */
import { rawRequest } from './rawHttp.ts';
import { rawSocketAnswer } from './rawSocketAnswer.ts';
import { type BadHttpTools, type Case, MB, big, hmac, split } from './badHttpTools.ts';
import type { SiteFixture } from './siteFixture.ts';

/** Bodies (all correctly signed: the refusal is about the body itself). */
export function badHttpBodyCases(site: SiteFixture, { url, harmless, post, signed }: BadHttpTools): Case[] {
  return [
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
  ];
}
