/**
 * The bucket as OSS static website hosting serves it to anonymous readers: "/" and "/folder/" give
 * the index document under them; with SupportSubDir, "/folder" (no such object, but
 * "folder/index.html" exists) is redirected to "/folder/" (Type 0); a missing object gives the error
 * document with status 404; objects uploaded with a private ACL are refused (403).
 */
import type { OssBucket } from './ossBucket.ts';
import { errorXml } from './ossXml.ts';

export interface WebsiteAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export function serveWebsite(bucket: OssBucket, method: string, rawPath: string, requestId: string): WebsiteAnswer {
  const xml = (status: number, code: string, message: string): WebsiteAnswer => ({
    status,
    headers: { 'content-type': 'application/xml' },
    body: errorXml(code, message, requestId),
  });
  if (method !== 'GET' && method !== 'HEAD') return xml(405, 'MethodNotAllowed', 'website endpoints only answer GET and HEAD');
  let path: string;
  try {
    path = decodeURIComponent(rawPath.split('?')[0]!).replace(/^\/+/, '');
  } catch {
    return xml(400, 'InvalidURI', 'malformed path');
  }
  if (bucket.objects.get(path)?.acl === 'private') return xml(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.');
  const site = bucket.website;
  if (!site) return xml(404, 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration.');
  const key = path === '' || path.endsWith('/') ? `${path}${site.index}` : path;
  const found = bucket.objects.get(key);
  if (found) {
    if (found.acl === 'private') return xml(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.');
    const headers: Record<string, string> = {
      'content-type': found.contentType,
      etag: found.etag,
      'content-length': String(found.body.length),
      'last-modified': found.modified.toUTCString(),
    };
    if (found.cacheControl) headers['cache-control'] = found.cacheControl;
    return { status: 200, headers, body: method === 'HEAD' ? '' : found.body };
  }
  if (site.supportSubDir && !path.endsWith('/') && bucket.objects.has(`${path}/${site.index}`)) {
    return { status: 302, headers: { location: `/${encodeURI(path)}/` }, body: '' };
  }
  const errorDoc = site.error ? bucket.objects.get(site.error) : undefined;
  if (errorDoc)
    return {
      status: 404,
      headers: { 'content-type': errorDoc.contentType, 'content-length': String(errorDoc.body.length) },
      body: method === 'HEAD' ? '' : errorDoc.body,
    };
  return xml(404, 'NoSuchKey', 'The specified key does not exist.');
}
