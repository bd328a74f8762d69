/**
 * The redirects table from build to build: moved pages found by content, aliases checked, chains
 * collapsed, pages that come back lose their redirect, removed pages remembered as gone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from '../../functions/core/types.ts';
import { updateRedirects, type RedirectState } from '../../functions/core/redirects/updateRedirects.ts';

/** 200 words of a topic's own vocabulary (a seeded pick from 400 words), so two topics share few shingles. */
function text(topic: string): string {
  let seed = [...topic].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) % 400;
  return `${topic}: ${Array.from({ length: 200 }, () => `w${next()}`).join(' ')}`;
}
const page = (slug: string, body: string, extra: Partial<Page> = {}): Page => ({
  source: slug.replace(/^(en|zh)\//, '').split('/')[0]!,
  slug,
  file: `docs/${slug}.md`,
  title: slug.split('/').at(-1)!,
  body,
  ...extra,
});
const build = (prev: RedirectState | undefined, pages: Page[], absent?: Set<string>) => updateRedirects(prev, pages, absent ? { absent } : {});

describe('updateRedirects', () => {
  const first = build(undefined, [
    page('fc', 'Index'),
    page('fc/deploy', text('deploy')),
    page('fc/remove', text('remove')),
    page('fc/old', text('old things')),
  ]);

  it('knows every page and has no redirects on the first build', () => {
    assert.deepEqual(first.state.redirects, {});
    assert.deepEqual(Object.keys(first.state.pages).sort(), ['/fc/', '/fc/deploy/', '/fc/old/', '/fc/remove/']);
  });

  it('a renamed page (same text) and a moved, edited page redirect; an unrelated removal is gone', () => {
    const next = build(first.state, [
      page('fc', 'Index'),
      page('fc/command/deploy', text('deploy')),
      page('fc/guide/remove', `${text('remove')}. One more paragraph about removing things safely.`),
      page('fc/brand-new', text('something else entirely')),
    ]);
    assert.deepEqual(next.state.redirects, { '/fc/deploy/': '/fc/command/deploy/', '/fc/remove/': '/fc/guide/remove/' });
    assert.deepEqual(next.state.gone, { '/fc/old/': { title: 'old', component: 'fc' } });
    assert.deepEqual(next.moved.map((m) => m.from).sort(), ['/fc/deploy/', '/fc/remove/']);

    // Moved again: A→B then B→C gives A→C; an unrelated later build keeps everything.
    const again = build(next.state, [
      page('fc', 'Index'),
      page('fc/cli/deploy', text('deploy')),
      page('fc/guide/remove', text('remove')),
      page('fc/brand-new', text('something else entirely')),
    ]);
    assert.equal(again.state.redirects['/fc/deploy/'], '/fc/cli/deploy/');
    assert.equal(again.state.redirects['/fc/command/deploy/'], '/fc/cli/deploy/');
    const unrelated = build(again.state, [
      page('fc', 'Index, edited'),
      page('fc/cli/deploy', text('deploy')),
      page('fc/guide/remove', text('remove')),
      page('fc/brand-new', text('something else entirely')),
    ]);
    assert.deepEqual(unrelated.state.redirects, again.state.redirects);
    assert.deepEqual(unrelated.state.gone, again.state.gone);

    // A URL that is a page again loses its redirect (and a gone URL that comes back is not gone).
    const back = build(unrelated.state, [
      page('fc', 'Index'),
      page('fc/deploy', text('deploy')),
      page('fc/old', 'New text'),
      page('fc/guide/remove', text('remove')),
    ]);
    assert.equal(back.state.redirects['/fc/deploy/'], undefined);
    assert.equal(back.state.redirects['/fc/cli/deploy/'], '/fc/deploy/');
    assert.equal(back.state.gone['/fc/old/'], undefined);
  });

  it('never matches across components or languages, nor dissimilar pages', () => {
    const prev = build(undefined, [page('fc', 'x'), page('fc/a', text('alpha')), page('en/fc/b', text('beta')), page('s', 'y')]).state;
    const next = build(prev, [page('fc', 'x'), page('s', 'y'), page('s/a', text('alpha')), page('fc/b', text('beta')), page('fc/c', text('gamma'))]);
    assert.deepEqual(next.state.redirects, {});
    assert.deepEqual(Object.keys(next.state.gone).sort(), ['/en/fc/b/', '/fc/a/']);
  });

  it('an English-first site: pages at /zh/ pair with /zh/ pages only, and /zh/ alone is a home page', () => {
    const prev = build(undefined, [page('fc', 'x'), page('zh/fc/a', text('alpha')), page('fc/b', text('beta'))]).state;
    const next = build(prev, [page('fc', 'x'), page('fc/a2', text('alpha')), page('zh/fc/b2', text('beta')), page('zh/fc/a3', text('alpha'))]);
    assert.deepEqual(next.state.redirects, { '/zh/fc/a/': '/zh/fc/a3/' }, 'the Chinese page moved within /zh/, not to the English one');
    assert.deepEqual(Object.keys(next.state.gone), ['/fc/b/']);
    const alias = build(undefined, [page('fc/new', 'body', { aliases: ['/zh/'] })]);
    assert.match(alias.diagnostics[0]?.message ?? '', /names a home page/);
  });

  it('stubs of a few words are never matched by content (only git’s renames pair them)', () => {
    const prev = build(undefined, [page('fc', 'x'), page('fc/todo-a', 'To be written.', { title: 'Draft' })]).state;
    const next = build(prev, [page('fc', 'x'), page('fc/todo-b', 'To be written.', { title: 'Draft' })]);
    assert.deepEqual(next.state.redirects, {});
    assert.deepEqual(Object.keys(next.state.gone), ['/fc/todo-a/']);
  });

  it('git’s renames (file paths) count even when the text was rewritten', () => {
    const prev = build(undefined, [page('fc', 'x'), page('fc/a', text('alpha')), page('fc/b', text('beta'))]).state;
    const pages = [page('fc', 'x'), page('fc/a2', text('rewritten')), page('fc/b2', text('also rewritten'))];
    const next = updateRedirects(prev, pages, { renames: [{ source: 'fc', from: 'docs/fc/a.md', to: 'docs/fc/a2.md' }] });
    assert.deepEqual(next.state.redirects, { '/fc/a/': '/fc/a2/' });
    assert.deepEqual(Object.keys(next.state.gone), ['/fc/b/']);
  });

  it('aliases redirect; bad ones are the page’s diagnostics', () => {
    const pages = [
      page('fc', 'x'),
      page('fc/new', 'body', { aliases: ['/fc/older/page', '/fc/old-name/', 'https://evil.example/x', '/fc/', '/en/', '/_astro/x/', '/../x/'] }),
      page('fc/other', 'body 2', { aliases: ['/fc/old-name/'] }),
    ];
    const { state, diagnostics } = build(undefined, pages);
    assert.deepEqual(state.redirects, { '/fc/older/page/': '/fc/new/', '/fc/old-name/': '/fc/new/' });
    assert.deepEqual(
      diagnostics.map((d) => [d.file, d.kind, d.message.replace(/ was ignored: .*/, '')]),
      [
        ['docs/fc/new.md', 'front-matter', 'Front matter alias "https://evil.example/x"'],
        ['docs/fc/new.md', 'front-matter', 'Front matter alias "/fc/"'],
        ['docs/fc/new.md', 'front-matter', 'Front matter alias "/en/"'],
        ['docs/fc/new.md', 'front-matter', 'Front matter alias "/_astro/x/"'],
        ['docs/fc/new.md', 'front-matter', 'Front matter alias "/../x/"'],
        ['docs/fc/other.md', 'front-matter', 'Front matter alias "/fc/old-name/"'],
      ],
    );
    assert.match(diagnostics[1]!.message, /it is the URL of a page \(docs\/fc\.md in fc\)/);
    assert.match(diagnostics[2]!.message, /it names a home page/);
    assert.match(diagnostics[5]!.message, /docs\/fc\/new\.md in fc declares it too/);
  });

  it('a source left out of a build keeps its pages and redirects, and nothing of it is gone', () => {
    const one = build(undefined, [page('fc', 'x'), page('fc/a', text('alpha')), page('s', 'y'), page('s/b', text('beta'))]);
    const two = build(one.state, [page('fc', 'x'), page('fc/a2', text('alpha')), page('s', 'y'), page('s/b2', text('beta'))]);
    const three = build(two.state, [page('fc', 'x'), page('fc/a2', text('alpha'))], new Set(['s']));
    assert.deepEqual(three.state.redirects, { '/fc/a/': '/fc/a2/', '/s/b/': '/s/b2/' });
    assert.deepEqual(three.state.gone, {});
    assert.ok(three.state.pages['/s/b2/']);
  });
});
