/**
 * "The site is never half-deployed", checked as a reader would meet it: every HTML page in the bucket
 * is fetched from the website endpoint and every asset it references (stylesheets, scripts, images,
 * fonts) must be served too. Answers the broken references found (empty: whole).
 */
import type { OssStandIn } from './ossStandIn/startOssStandIn.ts';

const ASSET = /(?:src|href)="(\/[^"#?]+\.(?:css|js|mjs|svg|png|jpe?g|webp|avif|gif|ico|woff2?))(?:[?#][^"]*)?"/g;

export async function missingAssets(oss: OssStandIn): Promise<string[]> {
  const seen = new Map<string, boolean>();
  const missing: string[] = [];
  const pages = [...oss.bucket.objects.keys()].filter((k) => k.endsWith('.html') && !k.startsWith('_docs-sync/'));
  for (const key of pages) {
    const res = await fetch(`${oss.websiteUrl}/${key}`);
    // A page deleted between listing and reading is gone for readers too: nothing half-served.
    if (res.status === 404) continue;
    const html = await res.text();
    for (const [, asset] of html.matchAll(ASSET)) {
      if (!seen.has(asset!)) {
        const a = await fetch(`${oss.websiteUrl}${asset}`);
        await a.arrayBuffer();
        seen.set(asset!, a.status === 200);
      }
      if (!seen.get(asset!)) missing.push(`${key} → ${asset}`);
    }
  }
  return missing;
}
