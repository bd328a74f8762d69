import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

const base = process.env.DOCS_SYNC_CONTENT_DIR ?? './guide-content';
export const collections = {
  docs: defineCollection({ loader: glob({ base, pattern: '**/[^_]*.md' }), schema: docsSchema() }),
};
