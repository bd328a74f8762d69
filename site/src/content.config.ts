import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

// The generated markdown lives outside this folder (see astro.config.mjs). Every page carries a `slug`
// front-matter field, which becomes its id, so URLs are exactly `/<slug>/`.
const base = process.env.DOCS_SYNC_CONTENT_DIR;
if (!base) throw new Error('DOCS_SYNC_CONTENT_DIR is not set (buildSite() sets it).');

export const collections = {
  docs: defineCollection({ loader: glob({ base, pattern: '**/*.md' }), schema: docsSchema() }),
};
