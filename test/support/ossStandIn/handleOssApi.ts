/**
 * The OSS API operations the deploy target and the build store use, on one in-memory bucket:
 * PutObject (Content-MD5 checked, x-oss-forbid-overwrite honoured), CopyObject (x-oss-copy-source,
 * metadata COPY or REPLACE), GetObject/HeadObject, DeleteObject, DeleteMultipleObjects,
 * ListObjectsV2, PutBucketWebsite/GetBucketWebsite. Authentication happens before (verifyOssV4).
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { etagOf, listKeys, type OssBucket } from './ossBucket.ts';
import { copyResultXml, deleteResultXml, errorXml, listV2Xml, parseDeleteBody, parseWebsiteBody, websiteXml } from './ossXml.ts';

export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
  /** The operation's name, for the request log. */
  op: string;
  /** Keys a DeleteMultipleObjects removed. */
  deleted?: string[];
}

export interface ApiRequest {
  method: string;
  key: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
}

const XML = { 'content-type': 'application/xml' };

export function handleOssApi(bucket: OssBucket, req: ApiRequest): ApiAnswer {
  const { method, key, query, headers, body, requestId } = req;
  const fail = (op: string, status: number, code: string, message: string): ApiAnswer => ({
    op,
    status,
    headers: XML,
    body: errorXml(code, message, requestId),
  });
  const md5 = headers['content-md5'];
  if (md5 !== undefined) {
    if (!/^[A-Za-z0-9+/]{22}==$/.test(String(md5))) return fail('Digest', 400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
    if (createHash('md5').update(body).digest('base64') !== md5)
      return fail('Digest', 400, 'BadDigest', 'The Content-MD5 you specified did not match what was received.');
  }
  if (key === '') {
    if (method === 'POST' && query.has('delete')) {
      if (md5 === undefined) return fail('DeleteMultipleObjects', 400, 'MissingArgument', 'Content-MD5 is required for DeleteMultipleObjects.');
      const parsed = parseDeleteBody(body.toString('utf8'));
      if (!parsed || parsed.keys.length === 0 || parsed.keys.length > 1000)
        return fail('DeleteMultipleObjects', 400, 'MalformedXML', 'The XML you provided was not well-formed (1 to 1000 keys).');
      for (const k of parsed.keys) bucket.objects.delete(k);
      return { op: 'DeleteMultipleObjects', status: 200, headers: XML, body: deleteResultXml(parsed.keys, parsed.quiet), deleted: parsed.keys };
    }
    if (query.has('website')) {
      if (method === 'PUT') {
        const config = parseWebsiteBody(body.toString('utf8'));
        if (!config) return fail('PutBucketWebsite', 400, 'MalformedXML', 'WebsiteConfiguration needs an IndexDocument Suffix.');
        bucket.website = config;
        return { op: 'PutBucketWebsite', status: 200, headers: {}, body: '' };
      }
      if (method === 'GET')
        return bucket.website
          ? { op: 'GetBucketWebsite', status: 200, headers: XML, body: websiteXml(bucket.website) }
          : fail('GetBucketWebsite', 404, 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration.');
    }
    if (method === 'GET' && query.get('list-type') === '2') {
      const prefix = query.get('prefix') ?? '';
      const maxKeys = Math.min(Number(query.get('max-keys') ?? 100) || 100, 1000);
      const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
      const { keys, next } = listKeys(bucket, prefix, after, maxKeys);
      const rows = keys.map((k) => {
        const o = bucket.objects.get(k)!;
        return { key: k, etag: o.etag, size: o.body.length, modified: o.modified };
      });
      return {
        op: 'ListObjectsV2',
        status: 200,
        headers: XML,
        body: listV2Xml({ bucket: bucket.name, prefix, maxKeys, keys: rows, ...(next ? { next } : {}) }),
      };
    }
    return fail('Bucket', 400, 'NotImplemented', `the stand-in does not implement ${method} on the bucket with ${query.toString() || 'no query'}`);
  }
  const existing = bucket.objects.get(key);
  if (method === 'PUT') {
    const source = headers['x-oss-copy-source'];
    const op = source ? 'CopyObject' : 'PutObject';
    if (headers['x-oss-forbid-overwrite'] === 'true' && existing)
      return fail(op, 409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.');
    const acl = headers['x-oss-object-acl'] ? String(headers['x-oss-object-acl']) : undefined;
    if (source) {
      const m = /^\/([^/]+)\/(.+)$/.exec(String(source));
      const from = m && m[1] === bucket.name ? bucket.objects.get(decodeURIComponent(m[2]!)) : undefined;
      if (!from) return fail(op, 404, 'NoSuchKey', `The specified copy source does not exist: ${String(source)}`);
      const replace = headers['x-oss-metadata-directive'] === 'REPLACE';
      const copy = { ...from, modified: new Date(), ...(acl ? { acl } : {}) };
      if (!acl) delete copy.acl; // OSS does not copy the source's ACL
      if (replace) {
        copy.contentType = String(headers['content-type'] ?? 'application/octet-stream');
        if (headers['cache-control']) copy.cacheControl = String(headers['cache-control']);
        else delete copy.cacheControl;
      }
      bucket.objects.set(key, copy);
      return { op, status: 200, headers: { ...XML, etag: copy.etag }, body: copyResultXml(copy.etag, copy.modified) };
    }
    const stored = {
      body,
      etag: etagOf(body),
      contentType: String(headers['content-type'] ?? 'application/octet-stream'),
      modified: new Date(),
      ...(acl ? { acl } : {}),
      ...(headers['cache-control'] ? { cacheControl: String(headers['cache-control']) } : {}),
    };
    bucket.objects.set(key, stored);
    return { op, status: 200, headers: { etag: stored.etag }, body: '' };
  }
  if (method === 'GET' || method === 'HEAD') {
    const op = method === 'GET' ? 'GetObject' : 'HeadObject';
    if (!existing) return fail(op, 404, 'NoSuchKey', 'The specified key does not exist.');
    const out: Record<string, string> = {
      'content-type': existing.contentType,
      etag: existing.etag,
      'last-modified': existing.modified.toUTCString(),
      'content-length': String(existing.body.length),
    };
    if (existing.cacheControl) out['cache-control'] = existing.cacheControl;
    return { op, status: 200, headers: out, body: method === 'GET' ? existing.body : '' };
  }
  if (method === 'DELETE') {
    bucket.objects.delete(key);
    return { op: 'DeleteObject', status: 204, headers: {}, body: '' };
  }
  return fail('Object', 405, 'MethodNotAllowed', `${method} is not allowed on an object`);
}
