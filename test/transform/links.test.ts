import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transform } from './fixtures.ts';

const pages = {
  'docs/readme.md': '# Home\n\n## Intro\n',
  'docs/command/deploy.md': '# Deploy\n\n## 参数解析\n',
  'docs/command/readme.md': '# Commands\n\n## List\n',
  'docs/yaml/index.md': '# YAML\n\n## Top\n',
  'docs/tool/快速开始.md': '# 快速开始\n\n## 安装\n',
  'docs/tool/指令相关/Config指令.md': '# Config\n',
};
const github = { repo: { owner: 'devsapp', name: 'fc' } };

function bodyOf(file: string, text: string, extra: Record<string, string> = {}, source = {}) {
  const r = transform({ ...pages, [file]: text, ...extra }, source);
  return { body: r.pages.find((p) => p.file === file)?.body ?? '', diagnostics: r.diagnostics.filter((d) => d.file === file), links: r.links };
}

test('relative .md links become site URLs, keeping query and anchor', () => {
  const { body, diagnostics, links } = bodyOf(
    'docs/command/build.md',
    ['# Build', '', '[a](./deploy.md) [b](deploy.md#参数解析) [c](../yaml/index.md?x=1#top) [d](../readme.md) [e](./readme.md#list)'].join('\n'),
  );
  assert.deepEqual(diagnostics, []);
  assert.match(body, /\[a\]\(\/fc\/command\/deploy\/\)/);
  assert.match(body, /\[b\]\(\/fc\/command\/deploy\/#参数解析\)/);
  assert.match(body, /\[c\]\(\/fc\/yaml\/\?x=1#top\)/);
  assert.match(body, /\[d\]\(\/fc\/\)/);
  assert.match(body, /\[e\]\(\/fc\/command\/#list\)/);
  assert.equal(links.relative, 5);
});

test('Chinese file names, raw or percent-encoded, and repo-root links resolve', () => {
  const { body, diagnostics } = bodyOf(
    'docs/tool/工具安装.md',
    '[a](./快速开始.md#安装) [b](%E5%BF%AB%E9%80%9F%E5%BC%80%E5%A7%8B.md) [c](/docs/tool/指令相关/Config指令.md)',
  );
  assert.deepEqual(diagnostics, []);
  const url = `/fc/tool/${encodeURIComponent('快速开始')}/`;
  assert.ok(body.includes(`[a](${url}#安装)`), body);
  assert.ok(body.includes(`[b](${url})`), body);
  assert.ok(body.includes(`[c](/fc/tool/${encodeURIComponent('指令相关')}/${encodeURIComponent('config指令')}/)`), body);
});

test('folder links go to the folder readme/index, extension-less and `x.md/` links to the page; definitions too', () => {
  const { body } = bodyOf(
    'docs/guide.md',
    '[cmd](./command) [cmd2](command/) [y][yaml] [dep](command/deploy) [dep2](command/deploy.md/)\n\n[yaml]: ./yaml#top\n',
  );
  assert.match(body, /\[dep\]\(\/fc\/command\/deploy\/\)/); // docsite-style link without .md
  assert.match(body, /\[dep2\]\(\/fc\/command\/deploy\/\)/);
  assert.match(body, /\[cmd\]\(\/fc\/command\/\)/);
  assert.match(body, /\[cmd2\]\(\/fc\/command\/\)/);
  assert.match(body, /\[yaml\]: \/fc\/yaml\/#top/);
});

test('absolute URLs, mailto:, site-root paths and, in a local source, non-markdown files are left alone, silently', () => {
  const links =
    '[a](https://example.com/x.md) [b](mailto:dev@example.com) [d](../LICENSE) [e](/serverless-devs/manual) ![f](./img/a.png) [g](//cdn.example.com/a.md)';
  const { body, diagnostics } = bodyOf('docs/guide.md', links);
  assert.deepEqual(diagnostics, []);
  assert.equal(body.trim(), links);
});

test('a relative .md link to a missing page is reported as broken-link with its line and left as written', () => {
  const { body, diagnostics, links } = bodyOf('docs/command/build.md', '# Build\n\nline 3\n\nSee [config](./config.md#x) and [spec](../../spec/readme.md).\n');
  assert.deepEqual(
    diagnostics.map((d) => [d.kind, d.line]),
    [
      ['broken-link', 5],
      ['broken-link', 5],
    ],
  );
  assert.match(diagnostics[0]?.message ?? '', /docs\/command\/config\.md is not a page of source "fc"/);
  assert.match(diagnostics[1]?.message ?? '', /spec\/readme\.md/);
  assert.match(body, /\[config\]\(\.\/config\.md#x\)/);
  assert.equal(links.brokenFiles, 2);
});

test('local source: a .md file outside the docs paths is not a page, so linking to it is broken', () => {
  const { diagnostics } = bodyOf('docs/guide.md', '[root](../README.md)', { 'README.md': '# not in docs' });
  assert.equal(diagnostics[0]?.kind, 'broken-link');
});

test('GitHub source: repository files that are not pages link to GitHub (blob, tree, raw for images), encoded', () => {
  const { body, diagnostics, links } = bodyOf(
    'docs/guide.md',
    [
      '[license](../LICENSE) [readme](../README.md#install) [code](../src/代码/) ![img](./img/图.png) [up](../../x.md)',
      '',
      '<a href="../examples/a.yaml">a</a> <img src="img/b.png" alt="b">',
    ].join('\n'),
    {},
    github,
  );
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    ['Broken link "../../x.md": ../x.md is not a page of source "fc". Fix the path (it is relative to docs/guide.md).'],
  );
  assert.ok(body.includes('[license](https://github.com/devsapp/fc/blob/main/LICENSE)'), body);
  assert.ok(body.includes('[readme](https://github.com/devsapp/fc/blob/main/README.md#install)'), body);
  assert.ok(body.includes(`[code](https://github.com/devsapp/fc/tree/main/src/${encodeURIComponent('代码')})`), body);
  assert.ok(body.includes(`![img](https://github.com/devsapp/fc/raw/main/docs/img/${encodeURIComponent('图')}.png)`), body);
  assert.ok(body.includes('<a href="https://github.com/devsapp/fc/blob/main/examples/a.yaml">a</a>'), body);
  assert.ok(body.includes('<img src="https://github.com/devsapp/fc/raw/main/docs/img/b.png" alt="b">'), body);
  assert.equal(links.toGitHub, 6);
});

test('GitHub source: a missing .md under the docs folder is still broken, not sent to GitHub', () => {
  const { body, diagnostics } = bodyOf('docs/guide.md', '[x](./nope.md)', {}, github);
  assert.equal(diagnostics[0]?.kind, 'broken-link');
  assert.match(body, /\[x\]\(\.\/nope\.md\)/);
});

test('javascript:, vbscript: and data:text/html in links and images are neutralised and reported as html', () => {
  const { body, diagnostics } = bodyOf(
    'docs/guide.md',
    [
      '[a](javascript:alert(1))',
      '',
      '![b](vbscript:msgbox)',
      '',
      '[c](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(2)> [d](JaVa&#x09;ScRiPt:x)',
      '',
      '![ok](data:image/png;base64,iVBOR) ![svg](data:image/svg+xml;base64,PHN2Zz4=) [e](&#106;avascript&colon;x)',
    ].join('\n'),
  );
  assert.doesNotMatch(body, /\]\((java|vb)|\]\(data:(text|image\/svg)/i);
  assert.match(body, /\[javascript:alert\(2\)\]\(#\)/); // the autolink's text stays, as text
  assert.match(body, /\[d\]\(#\)/);
  assert.match(body, /\[a\]\(#\)/);
  assert.match(body, /!\[b\]\(#\)/);
  assert.match(body, /\[e\]\(#\)/);
  assert.match(body, /data:image\/png/);
  assert.deepEqual(
    diagnostics.map((d) => [d.kind, d.line]),
    [
      ['html', 1],
      ['html', 3],
      ['html', 5],
      ['html', 5],
      ['html', 5],
      ['html', 7],
      ['html', 7],
    ],
  );
});

test('raw HTML <a href> to pages is rewritten the same way; broken ones reported', () => {
  const { body, diagnostics } = bodyOf(
    'docs/guide.md',
    '<p align="center"><a href="./command/deploy.md#参数解析">Deploy</a> | <a href="./nope.md">Nope</a></p>\n',
  );
  assert.match(body, /<a href="\/fc\/command\/deploy\/#参数解析">Deploy<\/a>/);
  assert.match(body, /<a href="\.\/nope\.md">Nope<\/a>/);
  assert.deepEqual(
    diagnostics.map((d) => [d.kind, d.line]),
    [['broken-link', 1]],
  );
});

test("a file: URL (a picture on the author's computer) is reported as broken, naming the fix", () => {
  const { body, diagnostics, links } = bodyOf('docs/cicd.md', '# CI\n\n![img](file:////Users/me/clip_image004.png) [doc](file:///C:/docs/a.md)\n');
  assert.deepEqual(
    diagnostics.map((d) => [d.kind, d.line]),
    [
      ['broken-link', 3],
      ['broken-link', 3],
    ],
  );
  assert.match(
    diagnostics[0]!.message,
    /^Broken image "file:\/\/\/\/Users\/me\/clip_image004\.png": a file: URL points at a file on the author's computer.* Add the file to the repository/,
  );
  assert.match(diagnostics[1]!.message, /^Broken link "file:\/\/\/C:\/docs\/a\.md"/);
  assert.equal(links.brokenFiles, 2);
  assert.match(body, /!\[img\]\(file:\/\/\/\/Users\/me\/clip_image004\.png\)/, 'left as written: the reader sees where it pointed');
});
