/**
 * The few OSS operations docs-sync uses, through Alibaba Cloud's SDK (ali-oss, V4 signatures), each
 * retried on network errors, throttling and 5xx (never on other 4xx answers). Credentials come from
 * a provider asked at each use, so Function Compute's fresh per-request STS credentials are used.
 */
import type OSS from 'ali-oss';
import pRetry, { AbortError } from 'p-retry';
import type { CloudCredentials } from '../../config/cloudCredentials.ts';
import type { OssTarget } from '../../config/deployTarget.ts';

export type CredentialsProvider = () => CloudCredentials | Promise<CloudCredentials>;

export interface OssObjects {
  /** oss://bucket, for messages. */
  where: string;
  put(key: string, body: Buffer, headers: Record<string, string>): Promise<void>;
  /** Server-side copy inside the bucket with the given Content-Type/Cache-Control (metadata REPLACE). */
  copy(key: string, from: string, headers: Record<string, string>): Promise<void>;
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Buffer | undefined>;
  /** Remove keys, 1,000 per DeleteMultipleObjects request. */
  deleteMany(keys: string[]): Promise<void>;
  /** Keys under a prefix, in key order, at most `limit`. */
  list(prefix: string, limit?: number): Promise<string[]>;
  putWebsite(config: { index: string; error: string }): Promise<void>;
  getWebsite(): Promise<{ index?: string; supportSubDir?: boolean; error?: string }>;
}

interface OssError extends Error {
  status?: number;
  code?: string;
}

/** An SDK error that names the operation and key, never the credentials. */
function explain(err: OssError, what: string, where: string): Error {
  const status = err.status && err.status > 0 ? ` ${err.status}` : '';
  const hint =
    err.code === 'SignatureDoesNotMatch' || err.code === 'InvalidAccessKeyId'
      ? ' (check ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, or the function role)'
      : err.code === 'NoSuchBucket'
        ? ' (check OSS_BUCKET and OSS_REGION)'
        : '';
  return Object.assign(new Error(`OSS ${what} on ${where} failed:${status} ${err.code ?? err.name}: ${err.message.split('\n')[0]}${hint}`), {
    status: err.status,
    code: err.code,
  });
}

export function createOssObjects(target: OssTarget, credentials: CredentialsProvider, options: { retries?: number; minTimeoutMs?: number } = {}): OssObjects {
  const where = `oss://${target.bucket}`;
  // One SDK client per set of credentials (FC hands out fresh ones per request; a long deploy's STS
  // token is refreshed by the SDK through refreshSTSToken).
  let cached: { key: string; client: OSS } | undefined;
  const client = async (): Promise<OSS> => {
    // Loaded on first use: the HTTP function starts (and answers webhooks) without paying for the SDK.
    const { default: Client } = await import('ali-oss');
    const c = await credentials();
    const key = `${c.accessKeyId}\n${c.accessKeySecret}\n${c.securityToken ?? ''}`;
    if (cached?.key === key) return cached.client;
    const refresh = async () => {
      const fresh = await credentials();
      return { accessKeyId: fresh.accessKeyId, accessKeySecret: fresh.accessKeySecret, stsToken: fresh.securityToken ?? '' };
    };
    const made = new Client({
      region: `oss-${target.region}`,
      bucket: target.bucket,
      ...(target.endpoint ? { endpoint: target.endpoint } : { secure: true }),
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.accessKeySecret,
      ...(c.securityToken ? { stsToken: c.securityToken, refreshSTSToken: refresh, refreshSTSTokenInterval: 5 * 60_000 } : {}),
      authorizationV4: true,
      timeout: 60_000,
    } as OSS.Options);
    cached = { key, client: made };
    return made;
  };
  const run = <T>(what: string, fn: (c: OSS) => Promise<T>): Promise<T> =>
    pRetry(
      async () => {
        try {
          return await fn(await client());
        } catch (err) {
          const e = explain(err as OssError, what, where);
          const status = (err as OssError).status ?? 0;
          if (status >= 400 && status < 500 && status !== 429) throw new AbortError(e);
          throw e;
        }
      },
      { retries: options.retries ?? 3, minTimeout: options.minTimeoutMs ?? 200, maxTimeout: 3000 },
    );
  return {
    where,
    put: (key, body, headers) => run(`PutObject ${key}`, async (c) => void (await c.put(key, body, { headers }))),
    copy: (key, from, headers) => run(`CopyObject ${from} → ${key}`, async (c) => void (await c.copy(key, from, { headers }))),
    get: (key) =>
      run(`GetObject ${key}`, async (c) => {
        try {
          return (await c.get(key)).content as Buffer;
        } catch (err) {
          if ((err as OssError).code === 'NoSuchKey') return undefined;
          throw err;
        }
      }),
    async deleteMany(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        await run(`DeleteMultipleObjects (${batch.length} keys)`, async (c) => void (await c.deleteMulti(batch, { quiet: true })));
      }
    },
    async list(prefix, limit = Infinity) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await run(`ListObjectsV2 ${prefix}`, (c) =>
          c.listV2({ prefix, 'max-keys': '1000', ...(token ? { 'continuation-token': token } : {}) }, {}),
        );
        keys.push(...(page.objects ?? []).map((o) => o.name));
        token = page.isTruncated ? (page.nextContinuationToken ?? undefined) : undefined;
      } while (token && keys.length < limit);
      return keys.slice(0, limit);
    },
    putWebsite: (config) =>
      run(
        'PutBucketWebsite',
        async (c) =>
          void (await c.putBucketWebsite(target.bucket, {
            index: config.index,
            supportSubDir: true,
            type: 0,
            error: config.error,
          } as OSS.PutBucketWebsiteConfig)),
      ),
    getWebsite: () =>
      run('GetBucketWebsite', async (c) => {
        // The SDK's types omit supportSubDir, which it does return (as the XML's text).
        const r = (await c.getBucketWebsite(target.bucket)) as { index: string; error: string | null; supportSubDir?: string };
        return { index: r.index, supportSubDir: String(r.supportSubDir) === 'true', ...(r.error ? { error: r.error } : {}) };
      }),
  };
}
