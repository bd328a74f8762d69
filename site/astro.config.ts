import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

const outDir = process.env.DOCS_SYNC_OUT_DIR ?? './dist';
export default defineConfig({
  outDir,
  cacheDir: process.env.DOCS_SYNC_CACHE_DIR ?? './node_modules/.astro',
  integrations: [
    starlight({
      title: 'docs-sync',
      sidebar: [{ label: 'Comp A', items: [{ autogenerate: { directory: 'comp-a' } }] }],
    }),
  ],
});
