import assert from 'node:assert/strict';
import { test } from 'node:test';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Nodes } from 'mdast';
import { one } from './fixtures.ts';

/** All raw HTML the page body would hand to the site generator, found by parsing it again. */
function rawHtmlOf(body: string): string {
  const parts: string[] = [];
  const walk = (n: Nodes): void => {
    if (n.type === 'html') parts.push(n.value);
    if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(unified().use(remarkParse).parse(body));
  return parts.join('\n');
}

test('<script> and <style> blocks are removed with their content and reported', () => {
  const { page, diagnostics } = one('before\n\n<script>\nalert(document.cookie)\n</script>\n\n<style>body{display:none}</style>\n\nafter\n');
  assert.doesNotMatch(page.body, /script|alert|style|display/);
  assert.match(page.body, /before[\s\S]*after/);
  assert.deepEqual(
    diagnostics.map((d) => [d.kind, d.line]),
    [
      ['html', 3],
      ['html', 7],
    ],
  );
});

test('an inline <script> split over several mdast nodes loses its content too', () => {
  const { page, diagnostics } = one('a <script>alert(1)</script> b <iframe src="https://evil.example"></iframe> c\n');
  assert.equal(page.body.trim(), 'a  b  c');
  assert.equal(diagnostics.length, 2);
});

test('a <form> spanning blank lines is removed up to its end tag, and no further', () => {
  const { page } = one('<form action="https://evil.example">\n\n<input name="password">\n\nSecret **text**\n\n</form>\n\nStill here\n');
  assert.doesNotMatch(page.body, /form|password|Secret/);
  assert.match(page.body, /Still here/);
});

test('an unclosed <script> is dropped to the end of its own HTML block, not the rest of the page', () => {
  const { page } = one('<div><script>alert(1)\n\nVisible paragraph\n\n</div>\n');
  assert.doesNotMatch(page.body, /alert/);
  assert.match(page.body, /Visible paragraph/);
  assert.match(page.body, /<\/div>/);
});

test('on* attributes, javascript: URLs (also entity-encoded) and script-y styles are removed; the tags stay', () => {
  const { page, diagnostics } = one(
    [
      '<img src="x.png" onerror="alert(1)" alt="logo">',
      '<a href="javascript:alert(1)" title="t">a</a> <a href="&#106;avascript&colon;alert(1)">b</a> <a href=" java\tscript:x">c</a>',
      '<div style="width: expression(alert(1))" align="center" onclick=alert(1)>d</div>',
      '<span style="color: red">e</span> <img src="data:text/html,<b>" alt="x"> <a href="data:image/png;base64,AA">f</a>',
    ].join('\n'),
  );
  const html = rawHtmlOf(page.body);
  assert.doesNotMatch(html, /onerror|onclick|javascript|&#106;|expression|data:/i);
  assert.match(html, /<img src="x\.png" alt="logo">/);
  assert.match(html, /<a title="t">a<\/a>/);
  assert.match(html, /<div align="center">d<\/div>/);
  assert.match(html, /<span style="color: red">e<\/span>/);
  assert.equal(diagnostics.filter((d) => d.kind === 'html').length, 8);
  assert.ok(diagnostics.every((d) => d.line !== undefined && d.line >= 1 && d.line <= 4));
});

test('harmless HTML is kept: <br>, <img>, <font>, <details>/<summary>, <center>, tables, video', () => {
  const input = [
    '<center><img src="https://img.alicdn.com/a.png" width="60%"></center>',
    '',
    'line one<br>line two<br/>',
    '',
    'Text <font color="red">红色 *强调*</font> more',
    '',
    '<details open><summary>展开</summary>',
    '',
    '- item',
    '',
    '</details>',
    '',
    '<table><tr><td colspan="2">x</td></tr></table>',
    '',
    '<video width="100%" controls>\n  <source src="https://cdn.example.com/a.mp4" type="video/mp4">\n</video>',
  ].join('\n');
  const { page, diagnostics } = one(input);
  assert.deepEqual(diagnostics, []);
  for (const kept of [
    '<center><img src="https://img.alicdn.com/a.png" width="60%"></center>',
    'line one<br>line two<br />',
    '<font color="red">红色 *强调*</font>',
    '<details open><summary>展开</summary>',
    '- item',
    '</details>',
    '<td colspan="2">x</td>',
    '<source src="https://cdn.example.com/a.mp4" type="video/mp4">',
  ])
    assert.ok(page.body.includes(kept), `missing ${kept} in\n${page.body}`);
});

test('angle-bracket placeholders in prose are shown as text, not removed', () => {
  const { page, diagnostics } = one(
    [
      's deploy --region <region> --function-name <your-function-name>',
      '',
      '<account-id>',
      '',
      '| Type | Value |',
      '| --- | --- |',
      '| List<String> | --source <source> |',
      '',
      '<p>acs:fc:<region>:<account-id>:functions/*</p>',
    ].join('\n'),
  );
  assert.deepEqual(diagnostics, []);
  assert.match(page.body, /--region &lt;region&gt; --function-name &lt;your-function-name&gt;/);
  assert.match(page.body, /^&lt;account-id&gt;$/m);
  assert.match(page.body, /List&lt;String&gt; \| --source &lt;source&gt;/);
  assert.match(page.body, /<p>acs:fc:&lt;region&gt;:&lt;account-id&gt;:functions\/\*<\/p>/);
  assert.doesNotMatch(rawHtmlOf(page.body), /<(region|account-id|string|source)/i);
});

test('${…} and code survive literally; HTML comments are dropped silently', () => {
  const { page, diagnostics } = one(
    'Use ${env(REGION)} and ${vars.name}.\n\n<!-- internal note -->\n\n`<script>` in code\n\n```html\n<script>kept in a code block</script>\n```\n',
  );
  assert.deepEqual(diagnostics, []);
  assert.match(page.body, /Use \$\{env\(REGION\)\} and \$\{vars\.name\}\./);
  assert.doesNotMatch(page.body, /internal note/);
  assert.match(page.body, /`<script>` in code/);
  assert.match(page.body, /<script>kept in a code block<\/script>/);
});

test('unknown attributes are dropped quietly; quotes in values are escaped', () => {
  const { page, diagnostics } = one(`<div data-x="1" class="note" title='say "hi"'>x</div>\n`);
  assert.deepEqual(diagnostics, []);
  assert.match(page.body, /<div class="note" title="say &quot;hi&quot;">x<\/div>/);
});

test('text freed from an HTML block cannot become a live link when the body is parsed again', () => {
  const attacks = [
    '<region>\n[click](javascript:alert(1))',
    'x <foo title="[a](javascript:alert(1))"> y',
    '<!-- c -->[x](javascript:alert(1))',
    '<script>x</script>![i](javascript:alert(1))',
    '<your-name>\n[x]: javascript:alert(1)\n\n[x]',
  ];
  for (const attack of attacks) {
    const body = one(attack).page.body;
    const urls: string[] = [];
    const walk = (n: Nodes): void => {
      if (n.type === 'link' || n.type === 'image' || n.type === 'definition') urls.push(n.url);
      if ('children' in n) for (const c of n.children) walk(c);
    };
    walk(unified().use(remarkParse).parse(body));
    assert.ok(
      urls.every((u) => !/script:/i.test(u)),
      `${JSON.stringify(attack)} → ${JSON.stringify(body)}`,
    );
    assert.doesNotMatch(rawHtmlOf(body), /<(script|foo|region)/i);
  }
});

test('<a target> gets rel="noopener noreferrer" (kept rel values merged); <img name> is dropped, <a name> kept', () => {
  const { page, diagnostics } = one(
    [
      '<a href="https://example.com" target="_blank">a</a> <a href="https://example.com" target=_blank rel="nofollow opener">b</a>',
      '<img src="x.png" name="getElementById" alt="x"> <a name="legacy"></a>',
    ].join('\n'),
  );
  assert.deepEqual(diagnostics, []);
  const html = rawHtmlOf(page.body);
  assert.match(html, /<a href="https:\/\/example\.com" target="_blank" rel="noopener noreferrer">/);
  assert.match(html, /<a href="https:\/\/example\.com" target="_blank" rel="nofollow opener noopener noreferrer">/);
  assert.match(html, /<img src="x\.png" alt="x">/);
  assert.match(html, /<a name="legacy">/);
});

test('event handlers in any casing and spacing, and entity-encoded javascript: URLs, are removed and reported', () => {
  const { page, diagnostics } = one(
    [
      '<IMG SRC="x.png" OnErRoR="alert(1)"> <details ONTOGGLE=alert(1) open><summary>s</summary></details>',
      '<a href="jav&#x09;ascript:alert(1)">a</a> <a href="java&NewLine;script:x">b</a> <a href="&#x6A;avascript:x">c</a>',
      '<a href="data:text/html,x">d</a> <img src="data:image/svg+xml;base64,AA" alt="e"> <img src="data:image/png;base64,AA" alt="f">',
    ].join('\n'),
  );
  const html = rawHtmlOf(page.body);
  assert.doesNotMatch(html, /on[a-z]+=|script:|data:text|svg\+xml/i);
  assert.match(html, /<img src="x\.png">/);
  assert.match(html, /<img src="data:image\/png;base64,AA" alt="f">/);
  assert.equal(diagnostics.length, 7);
});
