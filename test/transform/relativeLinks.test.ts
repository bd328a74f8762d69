import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transform } from './fixtures.ts';

const site = {
  'docs/readme.md': '# Home\n',
  'docs/command/deploy.md': '# Deploy\n',
  'docs/command/readme.md': '# Commands\n',
  'docs/yaml/index.md': '# YAML\n',
  'docs/tool/快速开始.md': '# 快速开始\n',
  'docs/tool/指令相关/Config指令.md': '# Config\n',
};

function bodyOf(file: string, text: string, extra: Record<string, string> = {}) {
  const r = transform({ ...site, [file]: text, ...extra });
  return { body: r.pages.find((p) => p.file === file)?.body ?? '', diagnostics: r.diagnostics.filter((d) => d.file === file) };
}

test('relative .md links become site URLs, keeping anchor and query', () => {
  const { body, diagnostics } = bodyOf('docs/command/build.md', [
    '# Build',
    '',
    '[a](./deploy.md) [b](deploy.md#参数解析) [c](../yaml/index.md?x=1#top) [d](../readme.md) [e](./readme.md#list)',
  ].join('\n'));
  assert.deepEqual(diagnostics, []);
  assert.match(body, /\[a\]\(\/fc\/command\/deploy\/\)/);
  assert.match(body, /\[b\]\(\/fc\/command\/deploy\/#参数解析\)/);
  assert.match(body, /\[c\]\(\/fc\/yaml\/\?x=1#top\)/);
  assert.match(body, /\[d\]\(\/fc\/\)/);
  assert.match(body, /\[e\]\(\/fc\/command\/#list\)/);
});

test('Chinese file names, raw or percent-encoded, and repo-root links resolve', () => {
  const { body, diagnostics } = bodyOf('docs/tool/工具安装.md', [
    '[a](./快速开始.md#安装) [b](%E5%BF%AB%E9%80%9F%E5%BC%80%E5%A7%8B.md) [c](/docs/tool/指令相关/Config指令.md)',
  ].join('\n'));
  assert.deepEqual(diagnostics, []);
  const url = '/fc/tool/' + encodeURIComponent('快速开始') + '/';
  assert.ok(body.includes(`[a](${url}#安装)`), body);
  assert.ok(body.includes(`[b](${url})`), body);
  assert.ok(body.includes(`[c](/fc/tool/${encodeURIComponent('指令相关')}/${encodeURIComponent('config指令')}/)`), body);
});

test('folder links go to the folder readme/index, extension-less links to the .md page; definitions are rewritten too', () => {
  const { body } = bodyOf('docs/guide.md', '[cmd](./command) [cmd2](command/) [y][yaml] [dep](command/deploy#x)\n\n[yaml]: ./yaml#spec\n');
  assert.match(body, /\[dep\]\(\/fc\/command\/deploy\/#x\)/); // docsite-style link without .md
  assert.match(body, /\[cmd\]\(\/fc\/command\/\)/);
  assert.match(body, /\[cmd2\]\(\/fc\/command\/\)/);
  assert.match(body, /\[yaml\]: \/fc\/yaml\/#spec/);
});

test('absolute URLs, mailto:, anchors, site-root paths and non-markdown files are left alone, silently', () => {
  const links = '[a](https://example.com/x.md) [b](mailto:dev@example.com) [c](#参数) [d](../LICENSE) [e](/serverless-devs/manual) ![f](./img/a.png) [g](//cdn.example.com/a.md)';
  const { body, diagnostics } = bodyOf('docs/guide.md', links);
  assert.deepEqual(diagnostics, []);
  assert.equal(body.trim(), links);
});

test('a relative .md link to a missing page is reported as broken-link with its line and left as written', () => {
  const { body, diagnostics } = bodyOf('docs/command/build.md', '# Build\n\nline 3\n\nSee [config](./config.md#x) and [spec](../../spec/readme.md).\n');
  assert.equal(diagnostics.length, 2);
  assert.deepEqual(diagnostics.map((d) => [d.kind, d.line]), [['broken-link', 5], ['broken-link', 5]]);
  assert.match(diagnostics[0]?.message ?? '', /docs\/command\/config\.md is not a page of source "fc"/);
  assert.match(diagnostics[1]?.message ?? '', /spec\/readme\.md/);
  assert.match(body, /\[config\]\(\.\/config\.md#x\)/);
});

test('a .md file outside the docs paths is not a page, so linking to it is broken', () => {
  const { diagnostics } = bodyOf('docs/guide.md', '[root](../README.md)', { 'README.md': '# not in docs' });
  assert.equal(diagnostics[0]?.kind, 'broken-link');
});

test('javascript:, vbscript: and data:text/html in links and images are neutralised and reported as html', () => {
  const { body, diagnostics } = bodyOf('docs/guide.md', [
    '[a](javascript:alert(1))',
    '',
    '![b](vbscript:msgbox)',
    '',
    '[c](data:text/html;base64,PHNjcmlwdD4=) <javascript:alert(2)> [d](JaVa&#x09;ScRiPt:x)',
    '',
    '![ok](data:image/png;base64,iVBOR)',
  ].join('\n'));
  assert.doesNotMatch(body, /\]\((java|vb)|\]\(data:text/i);
  assert.match(body, /\[javascript:alert\(2\)\]\(#\)/); // the autolink's text stays, as text
  assert.match(body, /\[d\]\(#\)/);
  assert.match(body, /\[a\]\(#\)/);
  assert.match(body, /!\[b\]\(#\)/);
  assert.match(body, /data:image\/png/);
  assert.deepEqual(diagnostics.map((d) => [d.kind, d.line]), [['html', 1], ['html', 3], ['html', 5], ['html', 5], ['html', 5]]);
});

test('raw HTML <a href> to pages is rewritten the same way; broken ones reported', () => {
  const { body, diagnostics } = bodyOf('docs/guide.md', '<p align="center"><a href="./command/deploy.md#x">Deploy</a> | <a href="./nope.md">Nope</a></p>\n');
  assert.match(body, /<a href="\/fc\/command\/deploy\/#x">Deploy<\/a>/);
  assert.match(body, /<a href="\.\/nope\.md">Nope<\/a>/);
  assert.deepEqual(diagnostics.map((d) => [d.kind, d.line]), [['broken-link', 1]]);
});
