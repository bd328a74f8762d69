/**
 * Signature and header cases of the bad-HTTP-input battery (badHttpCases.ts): signatures are checked over
 * the raw bytes before anything is parsed; then the delivery's headers.
 */
import { createHmac } from 'node:crypto';
import { type BadHttpTools, type Case, hmac } from './badHttpTools.ts';
import type { SiteFixture } from './siteFixture.ts';

/** Signatures (checked before anything is parsed), then headers. */
export function badHttpSignatureCases(site: SiteFixture, { harmless, post }: BadHttpTools): Case[] {
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
  ];
}
