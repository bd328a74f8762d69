/** The stand-in's bucket: objects in memory with OSS's ETag (the MD5 in upper-case hex, quoted). */
import { createHash } from 'node:crypto';
import type { WebsiteConfig } from './ossXml.ts';

export interface StoredObject {
  body: Buffer;
  etag: string;
  contentType: string;
  cacheControl?: string;
  /** x-oss-object-acl given on upload ("private" hides it from website reads). */
  acl?: string;
  modified: Date;
}

export interface OssBucket {
  name: string;
  objects: Map<string, StoredObject>;
  website?: WebsiteConfig;
}

export const etagOf = (body: Buffer): string => `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`;

/** Keys under `prefix` after `after`, in key order, at most `max`; `next` is set when more follow. */
export function listKeys(bucket: OssBucket, prefix: string, after: string, max: number): { keys: string[]; next?: string } {
  const all = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
  const keys = all.slice(0, max);
  return all.length > max ? { keys, next: keys.at(-1)! } : { keys };
}
