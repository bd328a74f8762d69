import { defineCollection } from 'astro:content';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { uiStrings } from './uiStrings.ts';

// docs-sync pages are not a content collection: a collection is inlined into the build's bundle, so
// every edit would mean bundling again. They are rendered by src/pages/[...slug].astro from files the
// site builder writes (see src/renderedPages.ts). Starlight still needs its `docs` collection: empty.
// Its `i18n` collection carries the UI strings Starlight leaves in English for Chinese readers.
export const collections = {
  docs: defineCollection({ loader: async () => [], schema: docsSchema() }),
  i18n: defineCollection({ loader: async () => Object.entries(uiStrings).map(([id, strings]) => ({ id, ...strings })), schema: i18nSchema() }),
};
