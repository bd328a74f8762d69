import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSatteriMarkdownProcessor } from '@astrojs/markdown-satteri';
import { buildSiteIndex } from '../../functions/core/transform/siteIndex.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';
import { fetchedSource, transform } from './fixtures.ts';

/** Headings as they come in real docs: Chinese, punctuation, code, inline HTML, repeats, dashes, entities. */
const headings = [
  '# 快速开始', // the title: removed from the body
  '## 快速开始',
  '## 快速开始',
  '## 参数解析',
  '## 参数解析-1',
  '## 参数解析',
  '### `s deploy` 命令',
  '### --region 参数',
  '### a -- b --- c',
  '### `--use-local` 选项',
  '### <font color="#FF0000">答疑服务说明：</font>',
  '### Foo <region> bar',
  '### Step 1: 安装 Node.js（>= 10.8）',
  '### What\'s "new"? It\'s great...',
  '### Q&A &amp; more &copy;',
  '### ![logo](https://x/y.png) 图片标题',
  '### [链接标题](./other.md) 与 **强调**',
  '### emoji 🚀 rocket',
  '### A_b C-d  e',
  '> ### 引用里的标题',
  '- ### 列表里的标题',
  '<h3 id="explicit">Explicit</h3>',
  '<a name="legacy-anchor"></a>',
  '### 参数解析',
];

test("heading ids are the ones Astro's Markdown processor (Sätteri) gives the transformed page", async () => {
  const fetched = fetchedSource({ 'docs/page.md': `${headings.join('\n\n')}\n` });
  const siteIndex = buildSiteIndex([fetched]);
  const { pages } = transformSource(fetched, { siteIndex });
  const body = pages[0]!.body;
  const rendered = await (await createSatteriMarkdownProcessor({ syntaxHighlight: false })).render(body);
  const astro = rendered.metadata.headings.map((h) => h.slug).filter((id) => id !== 'explicit');
  const ours = siteIndex.outline('fc/page')!;
  assert.deepEqual(ours.site, astro);
  assert.ok(astro.includes('region-参数') && astro.includes('快速开始-1') && astro.includes('参数解析-3'), JSON.stringify(astro));
  assert.ok(ours.html.has('explicit') && ours.html.has('legacy-anchor'));
  assert.match(rendered.code, /name="legacy-anchor"/);
});

test('links written for GitHub ids are rewritten to the site ids, on the same page and on others', () => {
  const r = transform({
    'docs/page.md': `${headings.join('\n\n')}\n`,
    'docs/other.md': 'other\n',
    'docs/links.md': [
      '[t](./page.md#快速开始) [a](./page.md#快速开始-1) [b](./page.md#快速开始-2) [c](./page.md#参数解析-3)',
      '[d](./page.md#--region-参数) [e](./page.md#a----b-----c) [f](./page.md#foo--bar)',
      '[g](./page.md#%E5%BF%AB%E9%80%9F%E5%BC%80%E5%A7%8B-1) [h](./page.md#S-Deploy-命令) [i](./page.md#legacy-anchor) [j](./page.md#explicit)',
    ].join('\n'),
  });
  assert.deepEqual(r.diagnostics, []);
  const body = r.page('fc/links').body;
  for (const expected of [
    '[t](/fc/page/)', // the H1 became the page title: the top of the page
    '[a](/fc/page/#快速开始)',
    '[b](/fc/page/#快速开始-1)',
    '[c](/fc/page/#参数解析-3)',
    '[d](/fc/page/#region-参数)',
    '[e](/fc/page/#a--b--c)',
    '[f](/fc/page/#foo-region-bar)',
    '[g](/fc/page/#快速开始)',
    '[h](/fc/page/#s-deploy-命令)',
    '[i](/fc/page/#legacy-anchor)',
    '[j](/fc/page/#explicit)',
  ])
    assert.ok(body.includes(expected), `missing ${expected} in\n${body}`);
  assert.equal(r.links.anchors, 8);
});

test('same-page anchors: case, encoding, GitHub repeats, the title (#_top) and a missing hyphen are fixed', () => {
  const r = transform({
    'docs/a.md':
      '# Title\n\n[x](#title) [y](#Usage) [z](#usage-1) [w](#%E7%94%A8%E6%B3%95) [v](#OSS触发器)\n\n## Usage\n\n## Usage\n\n## 用法\n\n### OSS 触发器\n',
  });
  assert.deepEqual(r.diagnostics, []);
  assert.match(r.page('fc/a').body, /\[x\]\(#_top\) \[y\]\(#usage\) \[z\]\(#usage-1\) \[w\]\(#用法\) \[v\]\(#oss-触发器\)/);
});

test('a missing anchor on an existing page is a broken-link naming the anchor and page; the link still goes to the page', () => {
  const r = transform({
    'docs/a.md': '# A\n\n## 参数\n',
    'docs/b.md': '# B\n\nline\n\n[x](./a.md#参数说明) [y](#nope)\n',
  });
  assert.deepEqual(
    r.diagnostics.map((d) => [d.kind, d.file, d.line]),
    [
      ['broken-link', 'docs/b.md', 5],
      ['broken-link', 'docs/b.md', 5],
    ],
  );
  assert.match(r.diagnostics[0]!.message, /anchor #参数说明 not found in \/fc\/a\/ \(docs\/a\.md\)\. Its headings: #参数\./);
  assert.match(r.diagnostics[1]!.message, /anchor #nope not found in \/fc\/b\/ \(docs\/b\.md\)\. It has no headings\./);
  assert.match(r.page('fc/b').body, /\[x\]\(\/fc\/a\/#参数说明\) \[y\]\(#nope\)/);
  assert.equal(r.links.brokenAnchors, 2);
  assert.equal(r.links.brokenFiles, 0);
});

test('anchors in raw HTML links are checked and rewritten too', () => {
  const r = transform({ 'docs/a.md': '# A\n\n<a href="#Setup">s</a> <a href="#missing">m</a>\n\n## Setup\n' });
  assert.match(r.page('fc/a').body, /<a href="#setup">s<\/a> <a href="#missing">m<\/a>/);
  assert.deepEqual(
    r.diagnostics.map((d) => d.kind),
    ['broken-link'],
  );
});
