import { defineCollection } from 'astro:content';
import { docsSchema } from '@astrojs/starlight/schema';

// docs-sync pages are not a content collection: a collection is inlined into the build's bundle, so
// every edit would mean bundling again. They are rendered by src/pages/[...slug].astro from files the
// site builder writes (see src/renderedPages.ts). Starlight still needs its `docs` collection: empty.
export const collections = {
  docs: defineCollection({ loader: async () => [], schema: docsSchema() }),
};
