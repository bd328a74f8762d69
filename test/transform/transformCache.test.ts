import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSnapshot, saveSnapshot } from '../../functions/core/pipeline/snapshots.ts';
import { createTransformCache } from '../../functions/core/transform/createTransformCache.ts';
import { buildSiteIndex, type SiteIndexOptions } from '../../functions/core/transform/siteIndex.ts';
import { transformSource, type TransformResult } from '../../functions/core/transform/transformSource.ts';
import type { FetchedSource, SourceConfig, SourceFile } from '../../functions/core/types.ts';
import { fetchedSource } from './fixtures.ts';

type Files = Record<string, string | SourceFile>;
type Site = Record<string, Files>;

const configs: Record<string, Partial<SourceConfig>> = {
  alpha: { id: 'alpha', title: 'Alpha', repo: { owner: 'acme', name: 'alpha' } },
  beta: { id: 'beta', title: 'Beta', repo: { owner: 'acme', name: 'beta' } },
  gamma: { id: 'gamma', title: 'Gamma', repo: { owner: 'acme', name: 'gamma' } },
};

/** Alpha links to beta's guide (a GitHub URL with an anchor, a site path with one) and to a page beta does not have yet. */
const start: Site = {
  alpha: {
    'docs/readme.md': [
      '# Alpha',
      '',
      'Read [the install guide](https://github.com/acme/beta/blob/main/docs/guide.md#install) and',
      '[usage](/beta/guide/#usage), then [what is new](https://github.com/acme/beta/blob/main/docs/new.md).',
      '',
      'See also [other](other.md).',
      '',
    ].join('\n'),
    'docs/other.md': '# Other\n\nAlpha text.\n',
  },
  beta: {
    'docs/readme.md': '# Beta\n\nWelcome.\n',
    'docs/guide.md': '# Guide\n\n## Install\n\nRun the installer.\n\n## Usage\n\nRun it.\n',
    'docs/faq.md': '# FAQ\n\n## Why\n\nBecause.\n',
  },
  gamma: { 'docs/readme.md': '# Gamma\n\nNothing to do with the others.\n' },
};

/** New FetchedSource objects (new byte arrays too) every time, as each build reads its sources again. */
const fetch = (site: Site): FetchedSource[] => Object.entries(site).map(([id, files]) => fetchedSource(files, configs[id]));
const edit = (site: Site, id: string, files: Files, remove: string[] = []): Site => {
  const next: Files = { ...site[id], ...files };
  for (const path of remove) delete next[path];
  return { ...site, [id]: next };
};

/** A cache over a counting transformSource; `build` checks every result against a fresh, uncached transform. */
function harness(options: SiteIndexOptions = {}) {
  const transformed: string[] = [];
  const cache = createTransformCache({
    transform: (fetched, o) => {
      transformed.push(fetched.source.id);
      return transformSource(fetched, o);
    },
  });
  const build = (site: Site, siteOptions = options): { results: Map<string, TransformResult>; transformed: string[] } => {
    transformed.length = 0;
    const fetched = fetch(site);
    const siteIndex = buildSiteIndex(fetched, siteOptions);
    const results = new Map(fetched.map((f) => [f.source.id, cache.transform(f, { siteIndex })]));
    const fresh = buildSiteIndex(fetch(site), siteOptions);
    for (const f of fresh.sources.values()) {
      assert.deepEqual(
        results.get(f.fetched.source.id),
        transformSource(f.fetched, { siteIndex: fresh }),
        `source ${f.fetched.source.id} differs from an uncached transform`,
      );
    }
    return { results, transformed: [...transformed] };
  };
  return { cache, build };
}

const messages = (r: TransformResult): string[] => r.diagnostics.map((d) => d.message);
const body = (r: TransformResult | undefined, slug: string): string => r?.pages.find((p) => p.slug === slug)?.body ?? `(no page ${slug})`;

test('an unchanged source is not transformed again and gives equal pages, even after its result was changed by the caller', () => {
  const { cache, build } = harness();
  const first = build(start);
  assert.deepEqual(first.transformed, ['alpha', 'beta', 'gamma']);
  assert.match(body(first.results.get('alpha'), 'alpha'), /\[the install guide\]\(\/beta\/guide\/#install\)/);
  const alphaPages = structuredClone(first.results.get('alpha')!.pages);
  // runBuild appends diagnostics to the returned list; other callers may change pages.
  first.results.get('alpha')!.diagnostics.push({ source: 'alpha', file: 'x', kind: 'other', message: 'added by the caller' });
  first.results.get('alpha')!.pages[0]!.body = 'changed by the caller';

  const second = build(start);
  assert.deepEqual(second.transformed, []);
  assert.deepEqual(second.results.get('alpha')!.pages, alphaPages);
  assert.deepEqual(cache.stats(), { hits: 3, misses: 3, entries: 3 });
});

test('an edited file transforms its own source again, and only it', () => {
  const { build } = harness();
  build(start);
  const edited = edit(start, 'alpha', { 'docs/other.md': '# Other\n\nAlpha text, edited.\n' });
  const r = build(edited);
  assert.deepEqual(r.transformed, ['alpha']);
  assert.match(body(r.results.get('alpha'), 'alpha/other'), /Alpha text, edited\./);
  assert.deepEqual(build(edited).transformed, []);
  // Not only content: the last commit (lastUpdated), the ref (editUrl) and the source's config count too.
  const dated = edit(edited, 'alpha', {
    'docs/other.md': {
      path: '',
      content: new TextEncoder().encode('# Other\n\nAlpha text, edited.\n'),
      lastCommit: { sha: 'a'.repeat(40), date: '2024-05-01T00:00:00Z' },
    },
  });
  const d = build(dated);
  assert.deepEqual(d.transformed, ['alpha']);
  assert.equal(d.results.get('alpha')!.pages.find((p) => p.slug === 'alpha/other')?.lastUpdated, '2024-05-01T00:00:00Z');
  configs.gamma = { ...configs.gamma, title: 'Gamma, renamed' };
  try {
    assert.deepEqual(build(dated).transformed, ['gamma']);
  } finally {
    configs.gamma = { ...configs.gamma, title: 'Gamma' };
  }
});

test('adding, removing or renaming a page of another source transforms the sources that link to it', () => {
  const { build } = harness();
  const first = build(start);
  assert.ok(messages(first.results.get('alpha')!).some((m) => m.includes('docs/new.md is not a page of source "beta"')));

  const added = build(edit(start, 'beta', { 'docs/new.md': '# New\n' }));
  assert.deepEqual(added.transformed, ['alpha', 'beta']);
  assert.deepEqual(messages(added.results.get('alpha')!), []);
  assert.match(body(added.results.get('alpha'), 'alpha'), /\[what is new\]\(\/beta\/new\/\)/);

  const renamed = build(edit(start, 'beta', { 'docs/setup.md': start.beta!['docs/guide.md']! }, ['docs/guide.md']));
  assert.deepEqual(renamed.transformed, ['alpha', 'beta']);
  assert.ok(
    messages(renamed.results.get('alpha')!).some((m) => m.includes('docs/guide.md is not a page of source "beta"')),
    messages(renamed.results.get('alpha')!).join('\n'),
  );

  const back = build(start);
  assert.deepEqual(back.transformed, ['alpha', 'beta']);
  assert.deepEqual(back.results.get('alpha')!.diagnostics, first.results.get('alpha')!.diagnostics);
  assert.match(body(back.results.get('alpha'), 'alpha'), /\[the install guide\]\(\/beta\/guide\/#install\)/);
});

test('changing a heading another source links to with an #anchor transforms that source again: the broken anchor appears, then goes', () => {
  const { build } = harness();
  build(start);
  const renamedHeading = edit(start, 'beta', { 'docs/guide.md': '# Guide\n\n## Setup\n\nRun the installer.\n\n## Usage\n\nRun it.\n' });
  const broken = build(renamedHeading);
  assert.deepEqual(broken.transformed, ['alpha', 'beta']);
  assert.deepEqual(broken.results.get('alpha')!.links.brokenAnchors, 1);
  assert.ok(messages(broken.results.get('alpha')!).some((m) => m.includes('anchor #install not found in /beta/guide/')));

  const fixed = build(start);
  assert.deepEqual(fixed.transformed, ['alpha', 'beta']);
  assert.equal(fixed.results.get('alpha')!.links.brokenAnchors, 0);
  assert.ok(!messages(fixed.results.get('alpha')!).some((m) => m.includes('anchor')));
});

test('a change elsewhere that the linking source does not depend on does not transform it again', () => {
  const { build } = harness();
  build(start);
  // A page alpha does not link to.
  const faq = edit(start, 'beta', { 'docs/faq.md': '# FAQ\n\n## Why not\n\nBecause.\n' });
  assert.deepEqual(build(faq).transformed, ['beta']);
  // The linked page's text, its headings unchanged: its outline is the same.
  const text = edit(faq, 'beta', { 'docs/guide.md': '# Guide\n\n## Install\n\nRun the new installer.\n\n## Usage\n\nRun it twice.\n' });
  const r = build(text);
  assert.deepEqual(r.transformed, ['beta']);
  assert.match(body(r.results.get('beta'), 'beta/guide'), /Run the new installer\./);
  // A page added to a source alpha never asked about.
  assert.deepEqual(build(edit(text, 'gamma', { 'docs/more.md': '# More\n' })).transformed, ['gamma']);
});

test('other site index options transform everything again; no usable site index means no caching', () => {
  const { cache, build } = harness();
  build(start);
  const ghe = build(start, { githubApiUrl: 'https://ghe.example.com/api/v3' });
  assert.deepEqual(ghe.transformed, ['alpha', 'beta', 'gamma']);
  assert.equal(ghe.results.get('gamma')!.pages[0]!.editUrl, 'https://ghe.example.com/acme/gamma/edit/main/docs/readme.md');
  assert.deepEqual(build(start, { githubApiUrl: 'https://ghe.example.com/api/v3' }).transformed, []);

  const before = cache.stats();
  const [alpha] = fetch(start);
  cache.transform(alpha!);
  cache.transform(alpha!, { siteIndex: buildSiteIndex(fetch(start)) }); // an index of another fetch of alpha
  assert.deepEqual(cache.stats(), { ...before, misses: before.misses + 2 });
});

test('sources no longer in the site are dropped from the cache', () => {
  const { cache, build } = harness();
  build(start);
  assert.equal(cache.stats().entries, 3);
  const { gamma: _gone, ...rest } = start;
  assert.deepEqual(build(rest).transformed, []);
  assert.equal(cache.stats().entries, 2);
  assert.deepEqual(build(start).transformed, ['gamma']);
});

/** A counting cache; `run` transforms one build's sources and returns the ids transformed (not reused). */
function counted() {
  const transformed: string[] = [];
  const cache = createTransformCache({
    transform: (fetched, o) => {
      transformed.push(fetched.source.id);
      return transformSource(fetched, o);
    },
  });
  return (fetched: FetchedSource[]): string[] => {
    transformed.length = 0;
    const siteIndex = buildSiteIndex(fetched, {});
    for (const f of fetched) cache.transform(f, { siteIndex });
    return [...transformed];
  };
}

test('a source read from its snapshot (with fetchedAt) is the same input as the same files read fresh', () => {
  const run = counted();
  run(fetch(start));
  assert.deepEqual(run(fetch(start).map((f, i) => ({ ...f, fetchedAt: new Date(i * 1000).toISOString() }))), []);
});

test('a source saved to its snapshot and read back is the same input as the fetch that saved it (a preview reuses the live build)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'transform-cache-'));
  try {
    const run = counted();
    // As fetchSources returns them: `skipped` always there (often empty), privacy and renames when known.
    const fresh = fetch(start).map((f, i) => ({ ...f, skipped: [], ...(i === 0 ? { private: false, renames: { 'docs/other.md': 'docs/old.md' } } : {}) }));
    assert.deepEqual(run(fresh), ['alpha', 'beta', 'gamma']);
    for (const f of fresh) await saveSnapshot(dataDir, f);
    // Read back: Buffers, `fetchedAt`, no empty `skipped`, no privacy or renames.
    assert.deepEqual(run(await Promise.all(fresh.map(async (f) => (await loadSnapshot(dataDir, f.source))!))), []);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
