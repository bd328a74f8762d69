// @ts-check
/**
 * The docs site. Every per-build input comes from the environment (buildSite() sets them):
 *   DOCS_SYNC_CONTENT_DIR  generated markdown, written by writeContent() (required)
 *   DOCS_SYNC_SITE_JSON    site manifest: title, language, public URL, sidebar (default <content dir>/site.json)
 *   DOCS_SYNC_CACHE_DIR    writable cache: Astro's .astro folder, content data store, Vite cache
 *   DOCS_SYNC_OUT_DIR      where the built site goes (default <cache dir>/dist)
 * Nothing is written into this folder during a build, so it may be read-only (Function Compute).
 * Plain JavaScript on purpose: Astro imports a .mjs config with Node directly (no Vite server).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

const env = process.env;
if (!env.DOCS_SYNC_CONTENT_DIR) {
  throw new Error('DOCS_SYNC_CONTENT_DIR is not set: point it at the folder written by writeContent() (buildSite() sets it).');
}
const siteDir = fileURLToPath(new URL('./', import.meta.url));
const contentDir = resolve(env.DOCS_SYNC_CONTENT_DIR);
const cacheDir = resolve(env.DOCS_SYNC_CACHE_DIR || join(tmpdir(), 'docs-sync-astro-cache'));
const outDir = resolve(env.DOCS_SYNC_OUT_DIR || join(cacheDir, 'dist'));
const siteJson = resolve(env.DOCS_SYNC_SITE_JSON || join(contentDir, 'site.json'));

/** @type {{ title: string; description?: string; lang?: string; url?: string; sidebar: any[] }} */
let manifest;
try {
  manifest = JSON.parse(readFileSync(siteJson, 'utf8'));
} catch (err) {
  throw new Error(`Cannot read the site manifest ${siteJson}: ${/** @type {Error} */ (err).message}. writeContent() writes it; set DOCS_SYNC_SITE_JSON if it lives elsewhere.`);
}

/**
 * Astro writes its generated `.astro/` folder into the project root and has no option to move it.
 * So the configured root is a folder in the cache dir (Astro places `.astro/` there when it starts),
 * and this integration, which runs before Starlight, points the root back at this folder.
 * @type {import('astro').AstroIntegration}
 */
const rootBackToSite = {
  name: 'docs-sync:root-back-to-site',
  hooks: {
    'astro:config:setup': ({ updateConfig }) => {
      updateConfig({ root: pathToFileURL(siteDir) });
    },
  },
};

export default defineConfig({
  ...(manifest.url ? { site: manifest.url } : {}),
  root: join(cacheDir, 'project'),
  srcDir: join(siteDir, 'src'),
  publicDir: join(siteDir, 'public'),
  outDir,
  cacheDir: join(cacheDir, 'astro'),
  trailingSlash: 'always',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  vite: { cacheDir: join(cacheDir, 'vite') },
  integrations: [
    rootBackToSite,
    starlight({
      title: manifest.title,
      ...(manifest.description ? { description: manifest.description } : {}),
      ...(manifest.lang ? { locales: { root: { label: manifest.lang, lang: manifest.lang } } } : {}),
      sidebar: manifest.sidebar,
    }),
  ],
});
