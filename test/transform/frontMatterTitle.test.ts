import assert from 'node:assert/strict';
import { test } from 'node:test';
import { one, transform } from './fixtures.ts';

test('front matter title, description, position and category become page fields', () => {
  const { page, diagnostics } = one(`---
title: Deploy 命令
description: '部署函数'
position: 3
category: '构建&部署'
---

Some text.
`);
  assert.equal(page.title, 'Deploy 命令');
  assert.equal(page.description, '部署函数');
  assert.equal(page.order, 3);
  assert.equal(page.category, '构建&部署');
  assert.deepEqual(diagnostics, []);
  assert.equal(page.body.trim(), 'Some text.');
});

test('the body never contains the original front matter', () => {
  const { page } = one('---\ntitle: T\nslug: secret-slug\n---\n\nBody\n');
  assert.doesNotMatch(page.body, /---|secret-slug|title:/);
});

test('front matter title wins over the H1; an H1 repeating it at the top is dropped, a different one kept', () => {
  assert.equal(one('---\ntitle: From YAML\n---\n# From YAML\n\ntext\n').page.body.trim(), 'text');
  const kept = one('---\ntitle: From YAML\n---\n# Another heading\n\ntext\n').page;
  assert.equal(kept.title, 'From YAML');
  assert.match(kept.body, /^# Another heading/);
});

test('without front matter the first H1 is the title and is removed from the body', () => {
  const { page } = one('Intro line.\n\n# 快速开始 `s deploy`\n\n## Step\n\nDone.\n');
  assert.equal(page.title, '快速开始 s deploy');
  assert.doesNotMatch(page.body, /^# /m);
  assert.match(page.body, /## Step/);
  assert.match(page.body, /Intro line\./);
});

test('setext H1 and H1 with inline HTML give plain-text titles', () => {
  assert.equal(one('Setext Title\n============\n\nx\n').page.title, 'Setext Title');
  assert.equal(one('# <font color="red">Red</font> title\n').page.title, 'Red title');
});

test('several H1s are sections: the title comes from the file name and the H1s stay', () => {
  const { page } = one('# 五大亮点\n\na\n\n# 快速开始\n\nb\n');
  assert.equal(page.title, 'page');
  assert.match(page.body, /# 五大亮点/);
  assert.match(page.body, /# 快速开始/);
});

test('no front matter title and no H1: file name; readme/index take the folder name, the docs root readme the source title', () => {
  const r = transform({
    'docs/command/deploy.md': 'text',
    'docs/command/readme.md': 'text',
    'docs/yaml/index.md': '## only h2',
    'docs/readme.md': 'welcome',
  });
  assert.equal(r.page('fc/command/deploy').title, 'deploy');
  assert.equal(r.page('fc/command').title, 'command');
  assert.equal(r.page('fc/yaml').title, 'yaml');
  assert.equal(r.page('fc').title, 'Function Compute');
});

test('numeric string position is accepted; a non-numeric one is reported', () => {
  assert.equal(one('---\nposition: "7"\n---\n# T\n').page.order, 7);
  const bad = one('---\nposition: first\n---\n# T\n');
  assert.equal(bad.page.order, undefined);
  assert.equal(bad.diagnostics[0]?.kind, 'front-matter');
  assert.equal(bad.diagnostics[0]?.line, 1);
});

test('invalid YAML front matter is reported and the page still comes out, titled from the H1', () => {
  const { page, diagnostics } = one('---\ntitle: [unclosed\ndescription: x: y\n---\n\n# 标题\n\n正文\n');
  assert.equal(page.title, '标题');
  assert.equal(page.body.trim(), '正文');
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]?.kind, 'front-matter');
  assert.match(diagnostics[0]?.message ?? '', /Invalid YAML front matter/);
  assert.equal(diagnostics[0]?.line, 1);
});

test('front matter that is not a mapping is reported; a list-valued title is reported and ignored', () => {
  const scalar = one('---\njust a string\n---\n# H\n');
  assert.equal(scalar.page.title, 'H');
  assert.match(scalar.diagnostics[0]?.message ?? '', /not a YAML mapping/);
  const list = one('---\ntitle: [a, b]\n---\n# H\n');
  assert.equal(list.page.title, 'H');
  assert.equal(list.diagnostics[0]?.kind, 'front-matter');
});

test('an empty file is a page with a title and an empty body; so is front matter alone', () => {
  const empty = one('');
  assert.equal(empty.page.title, 'page');
  assert.equal(empty.page.body.trim(), '');
  const onlyFm = one('---\ntitle: Only\n---\n');
  assert.equal(onlyFm.page.title, 'Only');
  assert.equal(onlyFm.page.body.trim(), '');
  assert.deepEqual(onlyFm.diagnostics, []);
});

test('front matter aliases (a list or one path) become the page’s old URLs; other values are reported and ignored', () => {
  assert.deepEqual(one('---\naliases: [/fc/old/page/, " /fc/older/ "]\n---\ntext\n').page.aliases, ['/fc/old/page/', '/fc/older/']);
  assert.deepEqual(one('---\naliases: /fc/old/\n---\ntext\n').page.aliases, ['/fc/old/']);
  assert.equal(one('---\ntitle: T\n---\ntext\n').page.aliases, undefined);
  const bad = one('---\naliases: [/fc/a/, {x: 1}]\n---\ntext\n');
  assert.equal(bad.page.aliases, undefined);
  assert.match(bad.diagnostics[0]!.message, /Front matter "aliases" should be a list of site paths/);
  assert.equal(bad.diagnostics[0]!.kind, 'front-matter');
});
