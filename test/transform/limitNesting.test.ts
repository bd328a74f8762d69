import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { limitNesting, MAX_NESTING, nestingDepth } from '../../functions/core/transform/limitNesting.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';

const deepList = (n: number): string => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
const transform = (text: string) =>
  transformSource({
    source: { id: 'w', title: 'W', paths: ['docs'] },
    sha: 'abc',
    ref: 'main',
    files: [{ path: 'docs/deep.md', content: new TextEncoder().encode(text) }],
  });

describe('limitNesting', () => {
  it('measures nesting by indentation and by container markers on one line', () => {
    assert.equal(nestingDepth('# Title\n\nplain text\n'), 0);
    assert.equal(nestingDepth(deepList(5)), 5);
    assert.equal(nestingDepth('> > > quoted'), 3);
    assert.equal(nestingDepth('- - 1. > nested on one line'), 4);
    assert.equal(nestingDepth('\t\tcode'), 4, 'a tab is four columns');
  });

  it('keeps a document nested at most MAX_NESTING deep as it is', () => {
    const text = `# Fine\n\n${deepList(MAX_NESTING)}\n`;
    assert.deepEqual(limitNesting(text), { text, depth: MAX_NESTING, limited: false });
  });

  it('shows a deeper one as text in a fence: front matter and first heading kept, fence longer than any inside', () => {
    const body = `${'> '.repeat(300)}deep\n~~~~\nnot a fence end\n`;
    const { text, depth, limited } = limitNesting(`---\ntitle: Deep\n---\n# Heading\n${body}`);
    assert.equal(limited, true);
    assert.equal(depth, 300);
    assert.equal(text, `---\ntitle: Deep\n---\n# Heading\n\n~~~~~text\n${body}~~~~~\n`);
  });

  it('makes transformSource publish the page as text with a diagnostic, quickly (a 1,000-deep list took 27 s and overflowed the stack)', () => {
    const { pages, diagnostics } = transform(`# Deep list\n\n${deepList(1000)}\n`);
    assert.equal(pages.length, 1);
    assert.equal(pages[0]!.title, 'Deep list');
    assert.match(pages[0]!.body, /^```text\n- item 0\n {2}- item 1\n[\s\S]*\n {1998}- item 999\n```$/m, 'the text as it is, in a code block');
    assert.equal(diagnostics.length, 1);
    assert.match(diagnostics[0]!.message, /^Nested 1000 levels deep .* Flatten the nesting\.$/);
  });
});

describe('limitNesting and the site index', () => {
  it("gives a page's outline from the text the page shows: no anchors inside a document shown as text", async () => {
    const { buildSiteIndex } = await import('../../functions/core/transform/siteIndex.ts');
    const target = `# Deep\n\n${deepList(MAX_NESTING + 1)}\n\n## Later\n`;
    const fetched = {
      source: { id: 'b', title: 'B', paths: ['docs'] },
      sha: 'abc',
      ref: 'main',
      files: [{ path: 'docs/deep.md', content: new TextEncoder().encode(target) }],
    };
    const outline = buildSiteIndex([fetched]).outline('b/deep')!;
    assert.deepEqual([...outline.github.keys()], ['deep'], 'the heading kept above the code block, not "later" inside it');
  });
});
