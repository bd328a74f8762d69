/**
 * The link rewriting of the per-page markdown (writeMachineDocs.ts): site paths become absolute URLs
 * so a page's index.md works outside the site; code blocks, protocol-relative and external links stay.
 * And across builds: only what changed is written, a file another build left is compared, never trusted.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { linkTree } from '../../functions/core/build/buildState.ts';
import { pageSpecs } from '../../functions/core/build/pageSpecs.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { absoluteLinks, writeMachineDocs } from '../../functions/core/build/writeMachineDocs.ts';
import type { Page, SourceConfig } from '../../functions/core/types.ts';

it('makes site-relative links and images absolute, outside fenced code only', () => {
  const md = [
    'See [deploy](/fc/命令/部署/#参数) and ![logo](/assets/logo.png), [ext](https://x.test/a), [cdn](//cdn.test/x).',
    '<a href="/oss/faq/">FAQ</a> <img src="/a.png">',
    '````md',
    '[kept](/fc/)',
    '```',
    '[still code: a shorter fence does not close it](/fc/)',
    '````',
    '[after](/guide/)',
  ].join('\n');
  assert.equal(
    absoluteLinks(md, 'https://docs.example.com'),
    [
      'See [deploy](https://docs.example.com/fc/命令/部署/#参数) and ![logo](https://docs.example.com/assets/logo.png), [ext](https://x.test/a), [cdn](//cdn.test/x).',
      '<a href="https://docs.example.com/oss/faq/">FAQ</a> <img src="https://docs.example.com/a.png">',
      '````md',
      '[kept](/fc/)',
      '```',
      '[still code: a shorter fence does not close it](/fc/)',
      '````',
      '[after](https://docs.example.com/guide/)',
    ].join('\n'),
  );
  assert.equal(absoluteLinks(md, ''), md, 'no site URL: left as they are');
});

describe('writeMachineDocs across builds', () => {
  const sources: SourceConfig[] = [{ id: 'fc', title: 'FC', paths: ['docs'] }];
  const pages = (edited: string): Page[] =>
    ['a', 'b', 'c'].map((name) => ({
      source: 'fc',
      slug: `fc/${name}`,
      title: name.toUpperCase(),
      file: `docs/${name}.md`,
      body: name === 'b' ? edited : `Body ${name}.`,
    }));
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-machine-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('rewrites what changed, and a file the last build did not leave, however it was taken', async () => {
    const content = join(dir, 'content');
    const build = async (out: string, from: string | undefined, body: string): Promise<string[]> => {
      const manifest = await writeContent(content, pages(body), sources, { title: 'Docs', url: 'https://docs.example.com' });
      if (from) linkTree(from, out);
      return writeMachineDocs(out, content, manifest, pageSpecs(manifest));
    };
    const first = await build(join(dir, 'o1'), undefined, 'Body b.');
    assert.ok(first.includes('fc/b/index.md') && first.includes('llms-full.txt'));
    // The next build starts from hard links to the last one (as the site builder's mirror gives it).
    assert.deepEqual(await build(join(dir, 'o2'), join(dir, 'o1'), 'Body b.'), [], 'nothing changed: nothing written');
    assert.deepEqual((await build(join(dir, 'o3'), join(dir, 'o2'), 'Body b, edited.')).sort(), ['fc/b/index.md', 'llms-full.txt', 'llms.txt']);
    assert.match(await readFile(join(dir, 'o3', 'fc', 'b', 'index.md'), 'utf8'), /Body b, edited\./);
    assert.match(await readFile(join(dir, 'o2', 'fc', 'b', 'index.md'), 'utf8'), /Body b\.\n/, 'the last build keeps its file');
    // A copy whose text is not the current one (another file at that path): compared, and replaced.
    await cp(join(dir, 'o2'), join(dir, 'o4'), { recursive: true });
    assert.deepEqual((await build(join(dir, 'o5'), join(dir, 'o4'), 'Body b, edited.')).sort(), ['fc/b/index.md', 'llms-full.txt', 'llms.txt']);
    assert.match(await readFile(join(dir, 'o5', 'fc', 'b', 'index.md'), 'utf8'), /Body b, edited\./);
  });
});
