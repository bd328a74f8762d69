/**
 * The webhook function's code package: functions/webhook/server.ts and what it imports, bundled by
 * esbuild into one ES module (index.mjs) for the Node of FC's Node.js 22 layer, plus the sources file
 * (sources.yaml) the push decision reads. Fails if Astro or the build pipeline crept into the bundle.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Modules that must never be in the webhook bundle (they belong to the builder). */
const FORBIDDEN = [/node_modules\/(astro|@astrojs|sharp|pagefind|vite)\//, /functions\/core\/(build|deploy|pipeline|transform)\//, /node:sqlite/];

export async function bundleWebhook({ root, outDir, sourcesFile }: { root: string; outDir: string; sourcesFile: string }): Promise<{ inputs: string[] }> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'functions/webhook/server.ts')],
    outfile: join(outDir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    metafile: true,
    legalComments: 'external',
    logLevel: 'warning',
    // Some dependencies are CommonJS and require() Node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const inputs = Object.keys(result.metafile.inputs);
  const bad = inputs.filter((i) => FORBIDDEN.some((re) => re.test(i)));
  if (bad.length) throw new Error(`the webhook bundle must not contain ${bad.slice(0, 5).join(', ')}: something it imports pulls in the builder`);
  copyFileSync(sourcesFile, join(outDir, 'sources.yaml'));
  return { inputs };
}
