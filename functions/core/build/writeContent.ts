import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Page, SourceConfig } from '../types.ts';
import { landingPage, sourceIndexPage } from './generatedPages.ts';
import { markdownFile, type FrontMatter } from './markdownFile.ts';
import { siteManifest, type SiteMeta } from './siteManifest.ts';

export type { SiteMeta } from './siteManifest.ts';

/** Name of the site manifest inside the content dir (astro.config.mjs reads it from there by default). */
export const SITE_JSON = 'site.json';

const SAFE_SEGMENT = /^[^/\\\u0000]+$/;

/** `<slug>.md` relative to the content dir; refuses slugs that could escape it. */
function fileFor(slug: string): string {
  const segments = slug.split('/');
  if (!segments.every((s) => SAFE_SEGMENT.test(s) && s !== '.' && s !== '..')) {
    throw new Error(`Page slug "${slug}" is not a safe URL path (empty, "." or ".." segment, or a backslash); pageSlug() never produces one.`);
  }
  return `${slug}.md`;
}

/**
 * Write the content folder Astro builds from: empties `dir`, then writes every page as `<slug>.md`
 * (front matter title, description, slug so the URL is exactly `/<slug>/`, sidebar order), an index
 * page for each source that has none at its root, the landing page (`index.md`) and `site.json`.
 */
export async function writeContent(dir: string, pages: Page[], sources: SourceConfig[], meta: SiteMeta = {}): Promise<void> {
  // One page per slug (the transform step reports duplicates); the first one wins.
  const seen = new Set<string>();
  const all = pages.filter((p) => !seen.has(p.slug) && seen.add(p.slug));
  for (const source of sources) {
    if (!seen.has(source.id)) all.push(sourceIndexPage(source, all));
  }
  const manifest = siteManifest(all, sources, meta);

  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const folders = new Set(all.map((p) => dirname(join(dir, fileFor(p.slug)))));
  for (const folder of folders) await mkdir(folder, { recursive: true });

  const files: Array<[string, string]> = all.map((page) => {
    const front: FrontMatter = { title: page.title, slug: page.slug };
    if (page.description !== undefined) front.description = page.description;
    if (page.order !== undefined) front.sidebar = { order: page.order };
    return [fileFor(page.slug), markdownFile(front, page.body)];
  });
  files.push(['index.md', landingPage(manifest)], [SITE_JSON, `${JSON.stringify(manifest, null, 2)}\n`]);
  // Bounded parallelism: thousands of small files, without exhausting file handles.
  for (let i = 0; i < files.length; i += 64) {
    await Promise.all(files.slice(i, i + 64).map(([name, text]) => writeFile(join(dir, name), text)));
  }
}
