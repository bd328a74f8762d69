/**
 * The webhook function's code package: functions/webhook/server.ts and what it imports, bundled by
 * esbuild into one ES module (index.mjs) for the Node of FC's Node.js 22 layer, plus the sources file
 * the push decision reads, validated and written as JSON (sources.json). Fails if Astro or the build
 * pipeline crept into the bundle. Every kilobyte is compile time at a cold start.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { loadSources } from '../../functions/core/config/loadSources.ts';

/**
 * zod re-exports all of its ~50 message locales (260 KB) through `z.locales`; nothing here uses
 * them, and parsing them is a sizeable part of a cold start. Only English (zod's default) is kept.
 */
/**
 * The bundle reads only sources.json, which is JSON and so YAML too: the YAML parser (115 KB) is
 * replaced by JSON.parse.
 */
const jsonForYaml: Plugin = {
  name: 'json-for-yaml',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'json-for-yaml' }));
    b.onLoad({ filter: /.*/, namespace: 'json-for-yaml' }, () => ({ contents: 'export const parse = (text) => JSON.parse(text);', loader: 'js' }));
  },
};

const englishZodOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: "export { default as en } from './en.js';",
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Modules that must never be in the webhook bundle (they belong to the builder). The OSS objects
 * (core/deploy/oss: build records and releases in the bucket, rollback) are the webhook's too.
 */
const FORBIDDEN = [
  /node_modules\/(astro|@astrojs|sharp|pagefind|vite)\//,
  /functions\/core\/(build|pipeline|transform)\//,
  /functions\/core\/deploy\/(?!oss\/)/,
  /node:sqlite/,
];

export async function bundleWebhook({ root, outDir, sourcesFile }: { root: string; outDir: string; sourcesFile: string }): Promise<{ inputs: string[] }> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'functions/webhook/server.ts')],
    // index.mjs, plus chunks for what is imported on first use only (the OSS SDK, loaded when the build
    // store is on OSS): a cold start parses only what it runs (module initialisation: 105 → ~70 ms CPU).
    outdir: outDir,
    entryNames: 'index',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    metafile: true,
    legalComments: 'external',
    logLevel: 'warning',
    plugins: [englishZodOnly, jsonForYaml],
    // ali-oss's HTTP client (urllib) require()s proxy-agent only when a proxy is configured; it is not installed.
    external: ['proxy-agent'],
    // Some dependencies are CommonJS and require() Node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs);
  const bad = inputs.filter((i) => FORBIDDEN.some((re) => re.test(i)));
  if (bad.length) throw new Error(`the webhook bundle must not contain ${bad.slice(0, 5).join(', ')}: something it imports pulls in the builder`);
  loadSources(sourcesFile); // refuse a bad sources file now, with loadSources' own message
  writeFileSync(join(outDir, 'sources.json'), `${JSON.stringify(parseYaml(readFileSync(sourcesFile, 'utf8')), null, 2)}\n`);
  return { inputs };
}
