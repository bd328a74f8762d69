/**
 * The site's real markdown renderer (Sätteri with Starlight's asides, heading links and Expressive
 * Code, exactly as site/astro.config.mjs configures it) without a site build: Astro's `sync()` runs the
 * config's integrations, and the renderer is created from the resolved config as astroBuild.ts does.
 * About 5 s. `render(markdown)` gives the body HTML as it is before the gate (sanitizeBody.ts), for a
 * docs page at `docs/<slug>.md` so Starlight's plugins apply. Sets DOCS_SYNC_* for the config (as the
 * site builder does): use it in its own test process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarkdownRenderer } from '../../functions/core/build/pageInputs.ts';
import { projectRenderer } from '../../functions/core/build/projectRenderer.ts';

const SITE = new URL('../../site/', import.meta.url);

export interface SiteRenderer {
  render(markdown: string, slug?: string): Promise<{ html: string; headings: Array<{ depth: number; slug: string; text: string }> }>;
}

export async function createSiteRenderer(): Promise<SiteRenderer> {
  const dir = mkdtempSync(join(tmpdir(), 'site-renderer-'));
  writeFileSync(join(dir, 'site.json'), JSON.stringify({ config: { title: 'Renderer', search: { shards: [] } } }));
  Object.assign(process.env, {
    DOCS_SYNC_SITE_JSON: join(dir, 'site.json'),
    DOCS_SYNC_CACHE_DIR: join(dir, 'cache'),
    DOCS_SYNC_RENDER_DIR: join(dir, 'render'),
  });
  const { sync } = await import('astro');
  let renderer: MarkdownRenderer | undefined;
  let docsDir: URL | undefined;
  await sync({
    configFile: relative(process.cwd(), fileURLToPath(new URL('astro.config.mjs', SITE))),
    logLevel: 'error',
    integrations: [
      {
        name: 'test:capture-renderer',
        hooks: {
          'astro:config:done': async ({ config }) => {
            ({ renderer, docsDir } = await projectRenderer(config));
          },
        },
      },
    ],
  });
  if (!renderer || !docsDir) throw new Error('astro sync did not resolve the site config');
  const found = renderer;
  const docs = docsDir;
  return {
    async render(markdown, slug = 'fc/page') {
      const { code, metadata } = await found.render(markdown, { frontmatter: {}, fileURL: new URL(`${slug}.md`, docs) });
      return { html: code, headings: metadata.headings };
    },
  };
}
