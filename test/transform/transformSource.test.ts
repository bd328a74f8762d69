import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transform } from './fixtures.ts';

test('every markdown file under the docs paths becomes a page, sorted by slug, with source and file', () => {
  const r = transform({
    'docs/zh/command/deploy.md': '# Deploy\n',
    'docs/readme.md': '# Home\n',
    'docs/zh/yaml/readme.md': '# Yaml\n',
    'docs/en/a.md': '# A\n',
  });
  assert.deepEqual(
    r.pages.map((p) => p.slug),
    ['en/fc/a', 'fc', 'fc/command/deploy', 'fc/yaml'],
  );
  const deploy = r.page('fc/command/deploy');
  assert.equal(deploy.source, 'fc');
  assert.equal(deploy.file, 'docs/zh/command/deploy.md');
  assert.deepEqual(r.diagnostics, []);
});

test('files outside the docs paths or not markdown are skipped with an "other" diagnostic', () => {
  const r = transform({ 'docs/a.md': 'a', 'src/b.md': 'b', 'docs/c.txt': 'c' });
  assert.deepEqual(
    r.pages.map((p) => p.slug),
    ['fc/a'],
  );
  assert.deepEqual(
    r.diagnostics.map((d) => [d.kind, d.file]),
    [
      ['other', 'docs/c.txt'],
      ['other', 'src/b.md'],
    ],
  );
});

test('two files with one slug: readme beats index beats others; the rest are reported, whatever the input order', () => {
  const files = {
    'docs/guide.md': '# guide.md\n',
    'docs/guide/index.md': '# guide/index.md\n',
    'docs/guide/README.md': '# guide/README.md\n',
    'docs/Setup.md': '# Setup.md\n',
    'docs/setup.md': '# setup.md\n',
  };
  for (const order of [Object.entries(files), Object.entries(files).reverse()]) {
    const r = transform(Object.fromEntries(order));
    assert.deepEqual(
      r.pages.map((p) => [p.slug, p.title]),
      [
        ['fc/guide', 'guide/README.md'],
        ['fc/setup', 'Setup.md'],
      ],
    );
    const dups = r.diagnostics.filter((d) => d.kind === 'duplicate-page');
    assert.deepEqual(
      dups.map((d) => d.file),
      ['docs/guide.md', 'docs/guide/index.md', 'docs/setup.md'],
    );
    assert.match(dups[0]?.message ?? '', /docs\/guide\/README\.md was kept/);
  }
});

test('non-UTF-8 bytes: the page is still produced, decoded with U+FFFD, and an encoding diagnostic says so', () => {
  const gbk = new Uint8Array([0x23, 0x20, 0xd6, 0xd0, 0xce, 0xc4, 0x0a]); // "# 中文" in GBK
  const r = transform({ 'docs/gbk.md': gbk, 'docs/ok.md': '# 好\n' });
  assert.deepEqual(
    r.diagnostics.map((d) => [d.kind, d.file]),
    [['encoding', 'docs/gbk.md']],
  );
  assert.match(r.page('fc/gbk').title, /\ufffd/);
  assert.equal(r.page('fc/ok').title, '好');
});

test('a UTF-8 byte order mark does not hide the front matter', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('---\ntitle: BOM\n---\nbody\n')]);
  const r = transform({ 'docs/bom.md': bytes });
  assert.equal(r.page('fc/bom').title, 'BOM');
  assert.equal(r.page('fc/bom').body.trim(), 'body');
});

test('an unclosed code fence keeps its content as code and is closed in the output', () => {
  const r = transform({ 'docs/a.md': '# A\n\n```yaml\nedition: 3.0.0\nname: <region> ${x}\n' });
  const body = r.page('fc/a').body;
  assert.match(body, /^```yaml\nedition: 3\.0\.0\nname: <region> \$\{x\}\n```\n?$/m);
  assert.deepEqual(r.diagnostics, []);
});

test('GFM tables with Chinese text and inline HTML come through as tables', () => {
  const text = '# T\n\n| 参数 | 说明 |\n| --- | :---: |\n| region | 地域<br>例如 cn-hangzhou |\n| name | 名称 |\n';
  const body = transform({ 'docs/t.md': text }).page('fc/t').body;
  assert.match(body, /\| 参数 \| 说明 \|\n\| -+ \| :-+: \|\n\| region \| 地域<br>例如 cn-hangzhou \|\n\| name \| 名称 \|/);
});

test('several docs folders: pages live under the folder name and links between folders resolve', () => {
  const r = transform({ 'docs/a.md': '[spec](../spec/readme.md)', 'spec/readme.md': '# Spec\n' }, { paths: ['docs', 'spec'] });
  assert.deepEqual(
    r.pages.map((p) => p.slug),
    ['fc/docs/a', 'fc/spec'],
  );
  assert.match(r.page('fc/docs/a').body, /\[spec\]\(\/fc\/spec\/\)/);
});

test('a content problem in one file does not affect its neighbours', () => {
  const r = transform({
    'docs/bad.md': '---\n: : :\n---\n<script>x</script>\n[b](./missing.md)\n',
    'docs/good.md': '---\ntitle: Good\nposition: 2\n---\nfine\n',
  });
  assert.deepEqual(r.diagnostics.map((d) => d.kind).sort(), ['broken-link', 'front-matter', 'html']);
  assert.ok(r.diagnostics.every((d) => d.file === 'docs/bad.md' && d.source === 'fc'));
  assert.deepEqual(
    { ...r.page('fc/good') },
    {
      source: 'fc',
      slug: 'fc/good',
      file: 'docs/good.md',
      title: 'Good',
      order: 2,
      body: 'fine\n',
      lang: 'zh-CN',
      translationKey: 'fc/good',
    },
  );
});
