/**
 * Code block options Expressive Code cannot take are dropped in the transform, read with its own meta
 * parser: an unknown frame (it throws), an empty search term (its marker search never ends), a line
 * range it cannot place (it throws); everything else is kept as written. The site build with these
 * blocks: test/build/badPages.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanCodeMeta } from '../../functions/core/transform/plugins/codeMeta.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';

test('drops exactly the options Expressive Code cannot take, saying which and why', () => {
  const cases: Array<[string, string, RegExp[]]> = [
    ['frame="terminall"', '', [/frame="terminall" \(frame must be one of code, terminal, none, auto\)/]],
    ['title="a  b.sh" frame="terminal" {1-3} wrap', 'title="a  b.sh" frame="terminal" {1-3} wrap', []],
    ['FRAME=nope title="x"', 'title="x"', [/FRAME=nope/]],
    ['title="two  spaces" frame="x"', 'title="two  spaces"', [/frame="x"/]],
    ['"" mark="" ins="x" del=\'\' /re/', 'ins="x" /re/', [/^"" \(an empty search term/, /^mark=""/, /^del=''/]],
    ['{0} mark={2-4, 7} ins={-1} del={a}', 'mark={2-4, 7}', [/^\{0\} \(line ranges/, /^ins=\{-1\}/, /^del=\{a\}/]],
    ['"not empty" {3-1}', '"not empty" {3-1}', []],
  ];
  for (const [meta, kept, removed] of cases) {
    const out = cleanCodeMeta(meta);
    assert.equal(out.meta, kept, meta);
    assert.equal(out.removed.length, removed.length, `${meta}: ${out.removed.join('; ')}`);
    removed.forEach((re, i) => assert.match(out.removed[i]!, re));
  }
});

test('reports what it dropped on the line of the block, and prints the block without it; an empty ansi block becomes text', () => {
  const source = { id: 's', title: 'S', paths: ['docs'], localPath: '/s' };
  const text = '# T\n\nIntro.\n\n```sh frame="terminall" title="run"\nls\n```\n\n```ansi\n```\n';
  const { pages, diagnostics } = transformSource({ source, sha: 'x', ref: 'main', files: [{ path: 'docs/t.md', content: Buffer.from(text) }] });
  assert.match(pages[0]!.body, /^```sh title="run"\nls\n```$/m);
  assert.match(pages[0]!.body, /^```text\n```$/m);
  assert.deepEqual(
    diagnostics.map((d) => [d.kind, d.line]),
    [['other', 5]],
  );
  assert.match(diagnostics[0]!.message, /left out: frame="terminall"/);
});
