// @ts-check
/**
 * The docs site. docs-sync's site builder (functions/core/build/createSiteBuilder.ts) runs it; every
 * per-build input comes from the environment it sets:
 *   DOCS_SYNC_SITE_JSON    site manifest written by writeContent(); only its `config` part is read here
 *   DOCS_SYNC_RENDER_DIR   page files read when pages are rendered (src/renderedPages.ts)
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
if (!env.DOCS_SYNC_SITE_JSON) {
  throw new Error('DOCS_SYNC_SITE_JSON is not set: point it at the site.json written by writeContent() (the site builder sets it).');
}
const siteDir = fileURLToPath(new URL('./', import.meta.url));
const cacheDir = resolve(env.DOCS_SYNC_CACHE_DIR || join(tmpdir(), 'docs-sync-astro-cache'));
const outDir = resolve(env.DOCS_SYNC_OUT_DIR || join(cacheDir, 'dist'));
const siteJson = resolve(env.DOCS_SYNC_SITE_JSON);

/**
 * Everything the bundle depends on besides this folder's code (the site builder rebuilds the bundle,
 * and re-renders every page, when it changes). See SiteConfig in functions/core/build/siteManifest.ts.
 * @type {{ title: string; description?: string; url?: string; locales?: Record<string, { label: string; lang: string }>; search: { shards: string[] } }}
 */
let config;
try {
  config = JSON.parse(readFileSync(siteJson, 'utf8')).config;
  if (!config?.title) throw new Error('it has no "config.title"');
} catch (err) {
  throw new Error(`Cannot read the site manifest ${siteJson}: ${/** @type {Error} */ (err).message}. writeContent() writes it.`);
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

const docs = starlight({
  title: config.title,
  ...(config.description ? { description: config.description } : {}),
  ...(config.locales ? { locales: config.locales } : {}),
  // Each page gets its own component's sidebar from the route middleware, so none is configured here.
  routeMiddleware: './src/routeData.ts',
  // The home pages' component cards.
  customCss: ['./src/styles/landing.css'],
  // Offers only the languages a page exists in (Starlight's offers every locale, often a 404).
  components: { LanguageSelect: './src/components/LanguageSelect.astro', Sidebar: './src/components/Sidebar.astro' },
  // Search: one Pagefind index per component, merged in the browser, so an edit re-indexes one component.
  pagefind: { mergeIndex: config.search.shards.map((shard) => ({ bundlePath: `/pagefind/shard/${shard}/` })) },
});
// Starlight indexes the whole site with Pagefind when a build is done; the site builder indexes it
// itself, per component and only what changed (functions/core/build/searchIndex.ts).
delete docs.hooks['astro:build:done'];

/**
 * The site builder also writes the sitemap itself (functions/core/build/writeSitemap.ts): a build may
 * render only the pages that changed and must still list them all. Starlight adds @astrojs/sitemap
 * unless an integration of that name is present; this empty one stands in for it.
 * @type {import('astro').AstroIntegration}
 */
const sitemapWrittenBySiteBuilder = { name: '@astrojs/sitemap', hooks: {} };

export default defineConfig({
  ...(config.url ? { site: config.url } : {}),
  root: join(cacheDir, 'project'),
  srcDir: join(siteDir, 'src'),
  publicDir: join(siteDir, 'public'),
  outDir,
  cacheDir: join(cacheDir, 'astro'),
  trailingSlash: 'always',
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  vite: { cacheDir: join(cacheDir, 'vite') },
  integrations: [rootBackToSite, sitemapWrittenBySiteBuilder, docs],
});
