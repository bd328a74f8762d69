/**
 * Refresh the changed URLs on Alibaba Cloud CDN after an OSS deploy (CDN_DOMAIN set), with the
 * official SDK (@alicloud/cdn20180510, RefreshObjectCaches). CDN's limits: at most 1,000 URLs per
 * call and per minute per domain, 10,000 URLs and 100 directories a day; so up to 1,000 URLs go in
 * one call, and a bigger change refreshes the whole site as one directory instead.
 * A folder's index page is refreshed under both its URLs ("/guide/" and "/guide/index.html").
 */
import type { CredentialsProvider } from './createOssObjects.ts';

export const MAX_URLS_PER_CALL = 1000;

export function cdnUrls(domain: string, paths: string[]): string[] {
  const urls = new Set<string>();
  for (const path of paths) {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    urls.add(`https://${domain}/${encoded}`);
    if (path === 'index.html' || path.endsWith('/index.html')) urls.add(`https://${domain}/${encoded.slice(0, -'index.html'.length)}`);
  }
  return [...urls].sort();
}

export type CdnRefresher = (paths: string[]) => Promise<{ objectType: 'File' | 'Directory'; urls: string[]; taskId?: string }>;

export function createCdnRefresher(opts: { domain: string; endpoint?: string; credentials: CredentialsProvider; log?: (line: string) => void }): CdnRefresher {
  return async (paths) => {
    const all = cdnUrls(opts.domain, paths);
    const [objectType, urls] = all.length > MAX_URLS_PER_CALL ? (['Directory', [`https://${opts.domain}/`]] as const) : (['File', all] as const);
    const c = await opts.credentials();
    // Loaded on first use (only deploys with CDN_DOMAIN need it).
    const [{ default: cdn }, { $OpenApiUtil }] = await Promise.all([import('@alicloud/cdn20180510'), import('@alicloud/openapi-core')]);
    const endpoint = opts.endpoint ? new URL(opts.endpoint) : undefined;
    // CommonJS packages: the client class is the module's `default` export.
    const client = new cdn.default(
      new $OpenApiUtil.Config({
        accessKeyId: c.accessKeyId,
        accessKeySecret: c.accessKeySecret,
        ...(c.securityToken ? { securityToken: c.securityToken } : {}),
        endpoint: endpoint ? endpoint.host : 'cdn.aliyuncs.com',
        protocol: endpoint ? endpoint.protocol.replace(':', '') : 'https',
      }),
    );
    const answer = await client.refreshObjectCaches(new cdn.RefreshObjectCachesRequest({ objectPath: urls.join('\n'), objectType }));
    const taskId = answer.body?.refreshTaskId;
    opts.log?.(
      `CDN ${opts.domain}: refresh of ${objectType === 'File' ? `${urls.length} URLs` : 'the whole site (more than 1,000 URLs changed)'} submitted${taskId ? ` (task ${taskId})` : ''}`,
    );
    return { objectType, urls: [...urls], ...(taskId ? { taskId } : {}) };
  };
}
