/**
 * Tests and scripts check pages with @astrojs/markdown-satteri directly; the site renders with the one
 * Astro ships. They must be the same processor: the declared version equals Astro's own exact pin, and
 * npm resolves both to one installed copy.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const json = (path: string) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));

test('@astrojs/markdown-satteri is pinned to the version astro depends on, and installed once', () => {
  const declared = json('package.json').devDependencies['@astrojs/markdown-satteri'];
  const astroWants = json('node_modules/astro/package.json').dependencies['@astrojs/markdown-satteri'];
  assert.equal(declared, astroWants, `package.json declares ${declared} but astro uses ${astroWants}: pin the same exact version`);
  const lock = json('package-lock.json') as { packages: Record<string, { version: string }> };
  const copies = Object.entries(lock.packages).filter(([path]) => path.endsWith('node_modules/@astrojs/markdown-satteri'));
  assert.deepEqual(
    copies.map(([path, entry]) => [path, entry.version]),
    [['node_modules/@astrojs/markdown-satteri', astroWants]],
  );
});
