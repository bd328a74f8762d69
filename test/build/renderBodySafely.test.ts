/**
 * The safety net around the markdown renderer, with renderers written here (the real one, Astro's, is
 * exercised by badPages.test.ts and the fuzzer): a refused body comes back as escaped text with a
 * problem naming the renderer's message (an AstroError's hint included), and a renderer that refuses
 * even a plain page is the site's failure, not a page's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MarkdownRenderer } from '../../functions/core/build/pageInputs.ts';
import { assertRendererWorks, renderBodySafely } from '../../functions/core/build/renderBodySafely.ts';

class HintedError extends Error {
  hint = 'received `nope`';
}
/** Refuses bodies containing `nope`, like Starlight does an unknown aside icon. */
const picky: MarkdownRenderer = {
  render: async (content) => {
    if (content.includes('nope')) throw new HintedError('Invalid aside icon');
    return { code: `<p>${content.length}</p>`, metadata: { headings: [] } };
  },
};
const broken: MarkdownRenderer = { render: async () => Promise.reject(new TypeError('Cannot read properties of undefined')) };

test("a body the renderer refuses is shown as escaped text under a note, with the renderer's message as its problem", async () => {
  const ok = await renderBodySafely(picky, 'fine', { frontmatter: {} });
  assert.deepEqual(ok, { headings: [], html: '<p>4</p>' });
  const text = ':::note{icon="nope"}\n<script>alert(1)</script> & \u0000\u0007 \ud800 end\n:::';
  const bad = await renderBodySafely(picky, text, { frontmatter: {} });
  assert.match(bad.problem!, /^The page could not be rendered \(Invalid aside icon: received `nope`\); it is shown as text\./);
  assert.match(bad.html, /^<aside aria-label="Note" class="starlight-aside starlight-aside--caution">[\s\S]*its text is shown as it is/);
  const code = /<pre[^>]*><code>([\s\S]*)<\/code><\/pre>/.exec(bad.html)![1]!;
  assert.equal(code, ':::note{icon=&#34;nope&#34;}\n&#60;script&#62;alert(1)&#60;/script&#62; &#38; \uFFFD\uFFFD \uFFFD end\n:::');
  assert.doesNotMatch(bad.html, /<script/);
});

test('a renderer that refuses every page, even a plain one, fails the build; content that is refused does not', async () => {
  await assert.rejects(
    assertRendererWorks(broken, 5, 5),
    /refuses every page, even a plain one: The page could not be rendered \(Cannot read properties of undefined\)\. This is a problem of the site/,
  );
  await assertRendererWorks(picky, 5, 5); // every page said "nope", but a plain page renders: content problems
  await assertRendererWorks(broken, 1, 1); // one page: never enough to blame the site
  await assertRendererWorks(broken, 5, 4);
});
