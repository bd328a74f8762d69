import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Page, SourceConfig } from '../types.ts';
import { siteLanguagesOf } from '../config/siteLanguages.ts';
import { landingPage } from './landingPage.ts';
import { sourceIndexPages } from './sourceIndexPages.ts';
import { markdownFile, type FrontMatter } from './markdownFile.ts';
import { GENERATED, siteManifest, type PageEntry, type SiteManifest, type SiteMeta } from './siteManifest.ts';

export type { SiteMeta } from './siteManifest.ts';

/** Name of the site manifest inside the content dir. */
export const SITE_JSON = 'site.json';

const SAFE_SEGMENT = /^[^/\\\u0000]+$/;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `<slug>.md` relative to the content dir; refuses slugs that could escape it. */
function fileFor(slug: string): string {
  const segments = slug.split('/');
  if (!segments.every((s) => SAFE_SEGMENT.test(s) && s !== '.' && s !== '..')) {
    throw new Error(`Page slug "${slug}" is not a safe URL path (empty, "." or ".." segment, or a backslash); pageSlug() never produces one.`);
  }
  return `${slug}.md`;
}

function entryOf(page: Page, file: string, text: string, rootLang: string): PageEntry {
  const entry: PageEntry = { slug: page.slug, title: page.title, source: page.source, file, digest: sha256(text), lang: page.lang ?? rootLang };
  if (page.order !== undefined) entry.order = page.order;
  if (page.file === GENERATED) entry.generated = true;
  if (page.description !== undefined) entry.description = page.description;
  if (page.translationKey !== undefined) entry.translationKey = page.translationKey;
  if (page.lastUpdated !== undefined) entry.lastUpdated = page.lastUpdated;
  if (page.editUrl !== undefined) entry.editUrl = page.editUrl;
  return entry;
}

/** The manifest a previous writeContent left in `dir`, if any. */
async function previousManifest(dir: string): Promise<SiteManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(dir, SITE_JSON), 'utf8')) as SiteManifest;
    return Array.isArray(manifest.pages) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write the content folder the site is built from: every page as `<slug>.md` (front matter title,
 * description, slug, sidebar order), an index page for each source that has none at its root, the
 * landing page (`index.md`, and `en.md`/`zh.md` for the other language's `/en/` or `/zh/`) and `site.json` (SiteManifest: site config, sources, every page's fields
 * and the digest of its file). Returns the manifest.
 *
 * Into an empty or unknown folder everything is written (stray files are removed). When `dir` holds
 * the manifest of an earlier writeContent, only files that changed are written and those of removed
 * pages deleted: pass the same folder each build to save the time of writing thousands of files.
 */
export async function writeContent(dir: string, pages: Page[], sources: SourceConfig[], meta: SiteMeta = {}): Promise<SiteManifest> {
  // One page per slug (the transform step reports duplicates); the first one wins.
  const seen = new Set<string>();
  const all = pages.filter((p) => !seen.has(p.slug) && seen.add(p.slug));
  const rootLang = meta.lang ?? siteLanguagesOf(sources).languages[0]!;
  for (const source of sources) all.push(...sourceIndexPages(source, all, rootLang === 'en' ? 'en' : 'zh-CN', meta.githubUrl));
  const files = new Map<string, string>();
  const entries = all.map((page) => {
    const front: FrontMatter = { title: page.title, slug: page.slug };
    if (page.description !== undefined) front.description = page.description;
    if (page.order !== undefined) front.sidebar = { order: page.order };
    const file = fileFor(page.slug);
    const text = markdownFile(front, page.body);
    files.set(file, text);
    return entryOf(page, file, text, rootLang);
  });
  const manifest = siteManifest(all, sources, meta, entries);
  // A home page per locale, translations of each other: `/`, and `/en/` or `/zh/` for the other language.
  for (const [locale, { lang }] of Object.entries(manifest.config.locales)) {
    const slug = locale === 'root' ? '' : locale;
    const file = locale === 'root' ? 'index.md' : `${locale}.md`;
    const { text: home, tagline } = landingPage(manifest.config, manifest.sources, meta, locale);
    files.set(file, home);
    const homeEntry: PageEntry = {
      slug,
      title: manifest.config.title,
      file,
      digest: sha256(home),
      lang,
      translationKey: '',
      template: 'splash',
      hero: { tagline },
    };
    if (manifest.config.description !== undefined) homeEntry.description = manifest.config.description;
    manifest.pages.push(homeEntry);
  }

  const before = await previousManifest(dir);
  // Without a manifest the folder is unknown: start afresh. The old manifest goes first, so a crash
  // half-way leaves a folder that is rewritten in full next time.
  await rm(join(dir, SITE_JSON), { force: true });
  if (!before) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const unchanged = new Set<string>();
  if (before) {
    const now = new Map(manifest.pages.map((p) => [p.file, p.digest]));
    for (const old of before.pages) {
      if (now.get(old.file) === old.digest) unchanged.add(old.file);
      else if (!now.has(old.file)) await rm(join(dir, old.file), { force: true });
    }
  }
  const toWrite = [...files].filter(([file]) => !unchanged.has(file));
  const folders = new Set(toWrite.map(([file]) => dirname(join(dir, file))));
  for (const folder of folders) await mkdir(folder, { recursive: true });
  // Bounded parallelism: thousands of small files, without exhausting file handles.
  for (let i = 0; i < toWrite.length; i += 64) {
    await Promise.all(toWrite.slice(i, i + 64).map(([file, text]) => writeFile(join(dir, file), text)));
  }
  await writeFile(join(dir, SITE_JSON), `${JSON.stringify(manifest)}\n`);
  return manifest;
}
