/** OSS's XML bodies for the stand-in: errors, listings, copy results, and the two request bodies it reads. */
export const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const xmlUnescape = (s: string): string =>
  s.replace(/&(lt|gt|quot|apos|#(\d+)|#x([0-9a-fA-F]+)|amp);/g, (_, name: string, dec?: string, hex?: string) =>
    dec
      ? String.fromCodePoint(Number(dec))
      : hex
        ? String.fromCodePoint(parseInt(hex, 16))
        : ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' } as Record<string, string>)[name]!,
  );

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function errorXml(code: string, message: string, requestId: string, extra: Record<string, string> = {}): string {
  const more = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return `${DECL}<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId><HostId>oss-stand-in</HostId>${more}</Error>`;
}

export function listV2Xml(opts: {
  bucket: string;
  prefix: string;
  maxKeys: number;
  keys: Array<{ key: string; etag: string; size: number; modified: Date }>;
  next?: string;
}): string {
  const contents = opts.keys
    .map(
      (o) =>
        `<Contents><Key>${xmlEscape(o.key)}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Type>Normal</Type><Size>${o.size}</Size><StorageClass>Standard</StorageClass></Contents>`,
    )
    .join('');
  const next = opts.next ? `<NextContinuationToken>${xmlEscape(opts.next)}</NextContinuationToken>` : '';
  return `${DECL}<ListBucketResult><Name>${xmlEscape(opts.bucket)}</Name><Prefix>${xmlEscape(opts.prefix)}</Prefix><MaxKeys>${opts.maxKeys}</MaxKeys><KeyCount>${opts.keys.length}</KeyCount><IsTruncated>${opts.next ? 'true' : 'false'}</IsTruncated>${next}${contents}</ListBucketResult>`;
}

export const copyResultXml = (etag: string, modified: Date): string =>
  `${DECL}<CopyObjectResult><ETag>${xmlEscape(etag)}</ETag><LastModified>${modified.toISOString()}</LastModified></CopyObjectResult>`;

export function deleteResultXml(keys: string[], quiet: boolean): string {
  const deleted = quiet ? '' : keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join('');
  return `${DECL}<DeleteResult>${deleted}</DeleteResult>`;
}

/** The keys of a DeleteMultipleObjects body (`<Delete><Quiet/><Object><Key>…`), or undefined when malformed. */
export function parseDeleteBody(xml: string): { keys: string[]; quiet: boolean } | undefined {
  if (!/<Delete>[\s\S]*<\/Delete>/.test(xml)) return undefined;
  const keys = [...xml.matchAll(/<Object>\s*<Key>([^<]*)<\/Key>/g)].map((m) => xmlUnescape(m[1]!));
  return { keys, quiet: /<Quiet>true<\/Quiet>/.test(xml) };
}

export interface WebsiteConfig {
  index: string;
  supportSubDir: boolean;
  error?: string;
}

/** A PutBucketWebsite body, or undefined when it has no index document. */
export function parseWebsiteBody(xml: string): WebsiteConfig | undefined {
  const index = /<IndexDocument>[\s\S]*?<Suffix>([^<]+)<\/Suffix>/.exec(xml)?.[1];
  if (!index) return undefined;
  const config: WebsiteConfig = { index: xmlUnescape(index), supportSubDir: /<SupportSubDir>true<\/SupportSubDir>/.test(xml) };
  const error = /<ErrorDocument>[\s\S]*?<Key>([^<]+)<\/Key>/.exec(xml)?.[1];
  if (error) config.error = xmlUnescape(error);
  return config;
}

export function websiteXml(c: WebsiteConfig): string {
  const error = c.error ? `<ErrorDocument><Key>${xmlEscape(c.error)}</Key></ErrorDocument>` : '';
  return `${DECL}<WebsiteConfiguration><IndexDocument><Suffix>${xmlEscape(c.index)}</Suffix><SupportSubDir>${c.supportSubDir}</SupportSubDir><Type>0</Type></IndexDocument>${error}</WebsiteConfiguration>`;
}
