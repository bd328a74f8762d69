import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SiteConfig } from './siteManifest.ts';

const NODE_MODULES = dirname(dirname(createRequire(import.meta.url).resolve('astro/package.json')));
/** Packages whose version changes what a page looks like or how it is indexed. */
const PACKAGES = ['astro', '@astrojs/starlight', '@astrojs/markdown-satteri', 'astro-expressive-code', 'pagefind'];
const BUILD_DIR = fileURLToPath(new URL('./', import.meta.url));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Key of everything that shapes every page at once: the site's code (src, public, config), this
 * builder's code, the installed packages (Astro, Starlight, the markdown processor, Expressive Code,
 * Pagefind…), Node's version, and the site config. Any change re-renders and re-indexes every page.
 */
export async function bundleKey(siteDir: string, config: SiteConfig): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([process.version, config]));
  // npm's record of every installed package version, when there is one; else the main ones.
  const installed = await readFile(join(NODE_MODULES, '.package-lock.json')).catch(() => undefined);
  if (installed) hash.update(installed);
  else
    for (const name of PACKAGES) {
      const version = await readFile(join(NODE_MODULES, name, 'package.json'), 'utf8').then(
        (t) => (JSON.parse(t) as { version: string }).version,
        () => 'missing',
      );
      hash.update(`\u0000${name}@${version}`);
    }
  const site = [join(siteDir, 'astro.config.mjs'), ...(await filesUnder(join(siteDir, 'src'))), ...(await filesUnder(join(siteDir, 'public')))];
  for (const [root, files] of [
    [siteDir, site],
    [BUILD_DIR, await filesUnder(BUILD_DIR)],
  ] as const) {
    for (const file of files) hash.update(`\u0000${relative(root, file)}\u0000`).update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 32);
}
