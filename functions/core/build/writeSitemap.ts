import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { slugToUrl } from '../pageSlug.ts';
import type { PageSpec } from './pageSpecs.ts';
import { inOldVersion } from './versionLinks.ts';

/** URLs per sitemap file (the protocol allows 50,000; @astrojs/sitemap uses 45,000). */
const PER_FILE = 45_000;

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * `sitemap-index.xml` and `sitemap-<n>.xml` for every page, as @astrojs/sitemap names them (Starlight
 * links `/sitemap-index.xml` from every page when the site has a URL). docs-sync writes the sitemap
 * itself because a build may render only a few pages; it lists them all, translations linked with
 * `xhtml:link` alternates and `lastmod` from the source file's last commit. Nothing without a URL.
 */
export function writeSitemap(outDir: string, siteUrl: string | undefined, specs: readonly PageSpec[]): string[] {
  if (!siteUrl) return [];
  // Like the pages' canonical links: the path under the site's origin.
  const url = (slug: string): string => new URL(slug === '' ? '/' : slugToUrl(slug), siteUrl).href;
  const translations = new Map<string, PageSpec[]>();
  for (const spec of specs) {
    const key = spec.entry.translationKey;
    if (key !== undefined) (translations.get(key) ?? translations.set(key, []).get(key)!).push(spec);
  }
  const entry = (spec: PageSpec): string => {
    const parts = [`<loc>${escapeXml(url(spec.slug))}</loc>`];
    if (spec.entry.lastUpdated && !Number.isNaN(Date.parse(spec.entry.lastUpdated)))
      parts.push(`<lastmod>${new Date(spec.entry.lastUpdated).toISOString()}</lastmod>`);
    const alternates = spec.entry.translationKey === undefined ? [] : translations.get(spec.entry.translationKey)!;
    if (alternates.length > 1) {
      for (const alt of alternates) parts.push(`<xhtml:link rel="alternate" hreflang="${escapeXml(alt.entry.lang)}" href="${escapeXml(url(alt.slug))}"/>`);
    }
    return `<url>${parts.join('')}</url>`;
  };
  // Old versions (sources file `versions:`) are left out: search engines should send readers to the latest.
  const sorted = specs.filter((s) => !inOldVersion(s)).sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const files: string[] = [];
  for (let i = 0; i * PER_FILE < Math.max(1, sorted.length); i++) {
    const urls = sorted
      .slice(i * PER_FILE, (i + 1) * PER_FILE)
      .map(entry)
      .join('');
    files.push(`sitemap-${i}.xml`);
    writeFileSync(
      join(outDir, files.at(-1)!),
      `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">${urls}</urlset>`,
    );
  }
  const index = files.map((f) => `<sitemap><loc>${escapeXml(new URL(`/${f}`, siteUrl).href)}</loc></sitemap>`).join('');
  writeFileSync(
    join(outDir, 'sitemap-index.xml'),
    `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${index}</sitemapindex>`,
  );
  return ['sitemap-index.xml', ...files];
}
