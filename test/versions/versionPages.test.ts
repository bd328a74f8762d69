/**
 * What the site shows of versions (sources file `versions:`), from the content folder writeContent makes
 * to the page specs the site renders: each page's switcher links the same page in every version (or that
 * version's index), old versions carry the banner, are their own search shards left out of the site's
 * search, and are not components of their own (home page cards, component switcher), nor in the sitemap.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { pageSpecs } from '../../functions/core/build/pageSpecs.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { writeSitemap } from '../../functions/core/build/writeSitemap.ts';
import type { Page, SourceConfig } from '../../functions/core/types.ts';
import { expandVersions } from '../../functions/core/versions/expandVersions.ts';

const dir = mkdtempSync(join(tmpdir(), 'version-pages-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base: SourceConfig = {
  id: 'gadgets',
  title: 'Gadgets',
  paths: ['docs'],
  repo: { owner: 'acme', name: 'gadgets' },
  versions: { latest: 'latest', branches: [], tags: ['v*'], newest: 5 },
};
const sources = expandVersions([base, { id: 'other', title: 'Other', paths: ['docs'], repo: { owner: 'acme', name: 'other' } }], {
  gadgets: { key: '', checkedAt: '', refs: [{ name: 'v1.9', kind: 'tag', sha: 'a'.repeat(40) }] },
});
const page = (source: string, path: string, title: string): Page => ({
  source,
  slug: path ? `${source}/${path}` : source,
  file: `docs/${path || 'readme'}.md`,
  title,
  body: `${title} text.`,
  lang: 'en',
});
const pages = [
  page('gadgets', '', 'Gadgets'),
  page('gadgets', 'install', 'Installing'),
  page('gadgets', 'new-feature', 'New feature'),
  page('gadgets/v1.9', '', 'Gadgets'),
  page('gadgets/v1.9', 'install', 'Installing'),
  page('other', '', 'Other'),
];

it('switcher, banner, search shards, components and sitemap of a versioned source', async () => {
  const manifest = await writeContent(join(dir, 'content'), pages, sources, { lang: 'en', url: 'https://docs.test' });
  const specs = new Map(pageSpecs(manifest).map((s) => [s.slug, s]));
  const links = (slug: string) => specs.get(slug)!.versions?.items.map((i) => [i.name, i.href, i.current]);
  assert.deepEqual(links('gadgets/install'), [
    ['latest', '/gadgets/install/', true],
    ['v1.9', '/gadgets/v1.9/install/', false],
  ]);
  assert.deepEqual(links('gadgets/new-feature'), [
    ['latest', '/gadgets/new-feature/', true],
    ['v1.9', '/gadgets/v1.9/', false],
  ]);
  assert.equal(specs.get('gadgets/v1.9/install')!.versions?.label, 'Version');
  assert.equal(specs.get('other')!.versions, undefined, 'an unversioned source has no switcher');

  assert.deepEqual(specs.get('gadgets/v1.9/install')!.frontmatter.banner, {
    content: 'You are reading v1.9. The latest version is here: <a href="/gadgets/install/">Installing</a>',
  });
  assert.equal(specs.get('gadgets/install')!.frontmatter.banner, undefined);

  // Old versions: indexed in shards of their own, which the site's search does not merge.
  assert.equal(specs.get('gadgets/v1.9/install')!.entry.shard, 'gadgets@v1.9');
  assert.deepEqual(manifest.config.search.shards, ['gadgets', 'other']);
  // Not a component of its own: not on the home page, not in the component switcher.
  const home = readFileSync(join(dir, 'content', 'index.md'), 'utf8');
  assert.doesNotMatch(home, /v1\.9/);
  const nav = specs.get('gadgets/install')!.nav!.entries[0]!;
  assert.ok(nav.type === 'group');
  assert.deepEqual(
    nav.entries.map((e) => e.label),
    ['Gadgets', 'Other'],
  );

  mkdirSync(join(dir, 'out'));
  writeSitemap(join(dir, 'out'), 'https://docs.test', [...specs.values()]);
  const sitemap = readFileSync(join(dir, 'out', 'sitemap-0.xml'), 'utf8');
  assert.match(sitemap, /https:\/\/docs\.test\/gadgets\/install\//);
  assert.doesNotMatch(sitemap, /v1\.9/);
});
