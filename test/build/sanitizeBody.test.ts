/**
 * The gate where a page body is final (functions/core/build/sanitizeBody.ts), fed by the site's real
 * renderer (Sätteri + Starlight + Expressive Code, test/support/siteRenderer.ts): the XSS battery of
 * test/support/xssVectors.ts with and without the transform before it, what the differential fuzzer
 * found, and the harmless HTML and Starlight output that must still render. The fuzz run itself:
 * htmlFuzz.test.ts; in Chromium: test/site/xssSite.test.ts.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sanitizeBody } from '../../functions/core/build/sanitizeBody.ts';
import { runCase } from '../support/htmlFuzzer.ts';
import { createSiteRenderer, type SiteRenderer } from '../support/siteRenderer.ts';
import { findUnsafe } from '../support/unsafeHtml.ts';
import { FUZZ_FOUND, XSS_VECTORS } from '../support/xssVectors.ts';

describe('the body gate, behind the real renderer', () => {
  let renderer: SiteRenderer;
  before(async () => {
    renderer = await createSiteRenderer();
  });
  const gate = async (markdown: string): Promise<string> => sanitizeBody(await renderer.render(markdown)).html;

  it('leaves nothing that runs, loads or clobbers of any vector, even when the transform is skipped', async () => {
    for (const [kind, vectors] of Object.entries(XSS_VECTORS)) {
      for (const vector of vectors) {
        assert.deepEqual(findUnsafe(await gate(vector)), [], `${kind}: ${vector} (renderer alone)`);
        const piped = await runCase(vector, renderer);
        assert.equal(piped.error, undefined, vector);
        assert.deepEqual(piped.gated, [], `${kind}: ${vector} (transform + renderer)`);
      }
    }
  });

  it('stops what the differential fuzzer found: live in the renderer output, nothing after the gate', async () => {
    for (const markdown of FUZZ_FOUND) {
      const result = await runCase(markdown, renderer);
      assert.notDeepEqual(result.raw, [], `the renderer alone lets it through: ${markdown}`);
      assert.deepEqual(result.gated, [], markdown);
    }
  });

  it('keeps the inline HTML these docs use, Starlight asides with a custom title and relative images', async () => {
    const html = (
      await runCase(
        [
          'Line one<br>line two <kbd>Ctrl</kbd>+<kbd>C</kbd> H<sub>2</sub>O x<sup>2</sup> <font color="red" size="4">red</font>',
          '<center><img src="https://example.com/logo.png" width="80" alt="logo"></center>',
          '<details open><summary>More</summary>\n\nHidden **text**\n</details>',
          '<table border="1"><tr><th colspan="2">Head</th></tr><tr><td align="center">a</td><td style="color:blue;position:fixed">b</td></tr></table>',
          '| md | table |\n|---|---|\n| 1 | 2 |',
          ':::tip[Custom title]\nInside the aside.\n:::',
          '![local picture](./pic.png)',
          'Use `<region>` and <your-function-name> as written.',
        ].join('\n\n'),
        renderer,
      )
    ).html;
    for (const fragment of [
      'Line one<br>line two <kbd>Ctrl</kbd>',
      'H<sub>2</sub>O x<sup>2</sup>',
      '<font color="red" size="4">red</font>',
      '<center><img src="https://example.com/logo.png" width="80" alt="logo"></center>',
      '<details open><summary>More</summary>',
      '<strong>text</strong>',
      '<th colspan="2">Head</th>',
      '<td align="center">a</td>',
      '<td style="color:blue">b</td>',
      '<td>2</td>',
      'aria-label="Custom title" class="starlight-aside starlight-aside--tip"',
      '</svg>Custom title</p>',
      'Inside the aside.',
      '<img alt="local picture" src="./pic.png">',
      '&#x3C;region>',
      '&#x3C;your-function-name>',
    ])
      assert.ok(html.includes(fragment), `${fragment}\nnot in\n${html}`);
  });

  it("keeps Expressive Code's frames, copy button, colours and its own stylesheet and script", async () => {
    const html = await gate('```sh title="deploy.sh"\ns deploy\n```\n\n```js\nconst a = 1;\n```');
    assert.match(html, /^<link rel="stylesheet" href="\/_astro\/ec\.[\w-]+\.css"><script type="module" src="\/_astro\/ec\.[\w-]+\.js"><\/script>/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<figure class="frame has-title not-content"><figcaption class="header"><span class="title">deploy\.sh<\/span>/);
    assert.match(html, /<span style="--0:#[0-9A-Fa-f]{6};--1:#[0-9A-Fa-f]{6}">/);
    assert.match(html, /<button title="Copy to clipboard" data-copied="Copied!" data-code="s deploy">/);
  });

  it('prefixes author ids and names (none on images); same-page and site links, anchor icons and the table of contents follow', async () => {
    const body = sanitizeBody(
      await renderer.render(
        '## __svelte\n\n## Install\n\n[up](#__svelte) [other](/fc/b/#install) [ext](https://example.com/#x) <a name="legacy" href="#legacy">l</a> <img src="a.png" name="getElementById" alt="c">',
      ),
    );
    assert.deepEqual(
      body.headings.map((h) => h.slug),
      ['user-content-__svelte', 'user-content-install'],
    );
    for (const fragment of [
      '<h2 id="user-content-__svelte">',
      'class="sl-anchor-link" href="#user-content-__svelte"',
      '<a href="#user-content-__svelte">up</a>',
      '<a href="/fc/b/#user-content-install">other</a>',
      '<a href="https://example.com/#x">ext</a>',
      '<a name="user-content-legacy" href="#user-content-legacy">l</a>',
      '<img src="a.png" alt="c">',
    ])
      assert.ok(body.html.includes(fragment), `${fragment} in ${body.html}`);
    // Sanitising twice changes nothing (a reused page file may be sanitised again).
    assert.equal(sanitizeBody(body).html, body.html);
  });

  it('balances tags: stray closers vanish, unclosed elements end with the body', async () => {
    const html = await gate('<div>\n\nopen *div*\n\n</div></div></div></main>\n\n<span><b>unclosed\n\n<table><td>cell');
    assert.equal(html.match(/<div/g)?.length, html.match(/<\/div>/g)?.length);
    assert.doesNotMatch(html, /<\/main>/);
    assert.match(html, /<\/b><\/span>/);
    assert.match(html, /<table><tbody><tr><td>cell\n<\/td><\/tr><\/tbody><\/table><\/b>$/);
  });

  it('gives a link that opens a new tab no handle on the page, and drops an empty id', async () => {
    const html = await gate('<a href="https://example.com/" target="_blank" rel="opener">x</a>\n\n#');
    assert.match(html, /<a href="https:\/\/example\.com\/" target="_blank" rel="noopener noreferrer">x<\/a>/);
    assert.doesNotMatch(html, /id=""/);
  });
});
