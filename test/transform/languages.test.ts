import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pagePlaces, pageSlug } from '../../functions/core/pageSlug.ts';
import type { LanguageSettings } from '../../functions/core/types.ts';
import { transform } from './fixtures.ts';

const places = (files: string[], languages?: LanguageSettings, paths = ['docs']) =>
  Object.fromEntries(
    [...pagePlaces({ id: 'fc', paths, ...(languages ? { languages } : {}) }, files)].map(([f, p]) => [f, `${p.lang} ${p.slug} ${p.translationKey}`]),
  );

test('language folders leave the path: docs/zh/… is Chinese at /fc/…, docs/en/… English at /en/fc/…, same key', () => {
  assert.deepEqual(
    places([
      'docs/zh/readme.md',
      'docs/en/readme.md',
      'docs/zh/command/deploy.md',
      'docs/en/command/deploy.md',
      'docs/zh-CN/a.md',
      'docs/EN-US/a.md',
      'docs/guide/zh-hans/b.md',
      'docs/en.md',
      'docs/plain.md',
    ]),
    {
      'docs/zh/readme.md': 'zh-CN fc fc',
      'docs/en/readme.md': 'en en/fc fc',
      'docs/zh/command/deploy.md': 'zh-CN fc/command/deploy fc/command/deploy',
      'docs/en/command/deploy.md': 'en en/fc/command/deploy fc/command/deploy',
      'docs/zh-CN/a.md': 'zh-CN fc/a fc/a',
      'docs/EN-US/a.md': 'en en/fc/a fc/a',
      'docs/guide/zh-hans/b.md': 'zh-CN fc/guide/b fc/guide/b', // a language folder at any depth
      'docs/en.md': 'zh-CN fc/en fc/en', // a file named like a language is just a page
      'docs/plain.md': 'zh-CN fc/plain fc/plain',
    },
  );
});

test('language suffixes: readme_en, README_zh, faq.en, a-zh-CN, b_CN; an unmarked file whose translation is Chinese is English', () => {
  assert.deepEqual(
    places([
      'docs/readme.md',
      'docs/readme_en.md',
      'docs/FAQ.md',
      'docs/FAQ.en.md',
      'docs/a-zh-CN.md',
      'docs/b_CN.md',
      'docs/tool/README.md',
      'docs/tool/README_zh.md',
      'docs/inner_env.md',
      'docs/open-en.md',
    ]),
    {
      'docs/readme.md': 'zh-CN fc fc',
      'docs/readme_en.md': 'en en/fc fc',
      'docs/FAQ.md': 'zh-CN fc/faq fc/faq',
      'docs/FAQ.en.md': 'en en/fc/faq fc/faq',
      'docs/a-zh-CN.md': 'zh-CN fc/a fc/a',
      'docs/b_CN.md': 'zh-CN fc/b fc/b',
      'docs/tool/README.md': 'en en/fc/tool fc/tool',
      'docs/tool/README_zh.md': 'zh-CN fc/tool fc/tool',
      'docs/inner_env.md': 'zh-CN fc/inner_env fc/inner_env',
      'docs/open-en.md': 'en en/fc/open fc/open',
    },
  );
});

test('layouts: folders ignores suffixes, suffix ignores folders, none keeps every path; the default language is configurable', () => {
  const files = ['docs/zh/a.md', 'docs/b_en.md', 'docs/c.md'];
  assert.deepEqual(places(files, { layout: 'folders', default: 'zh-CN' }), {
    'docs/zh/a.md': 'zh-CN fc/a fc/a',
    'docs/b_en.md': 'zh-CN fc/b_en fc/b_en',
    'docs/c.md': 'zh-CN fc/c fc/c',
  });
  assert.deepEqual(places(files, { layout: 'suffix', default: 'zh-CN' }), {
    'docs/zh/a.md': 'zh-CN fc/zh/a fc/zh/a',
    'docs/b_en.md': 'en en/fc/b fc/b',
    'docs/c.md': 'zh-CN fc/c fc/c',
  });
  assert.deepEqual(places(files, { layout: 'none', default: 'en' }), {
    'docs/zh/a.md': 'en en/fc/zh/a fc/zh/a',
    'docs/b_en.md': 'en en/fc/b_en fc/b_en',
    'docs/c.md': 'en en/fc/c fc/c',
  });
  assert.deepEqual(places(['docs/c.md', 'docs/c_en.md', 'docs/d.md'], { layout: 'auto', default: 'en' }), {
    'docs/c.md': 'zh-CN fc/c fc/c',
    'docs/c_en.md': 'en en/fc/c fc/c',
    'docs/d.md': 'en en/fc/d fc/d',
  });
});

test('several docs folders: the folder stays in the path, the language folder under it goes', () => {
  assert.deepEqual(places(['docs/zh/a.md', 'spec/en/0.0.2/readme.md', 'spec/readme_en.md'], undefined, ['docs', 'spec']), {
    'docs/zh/a.md': 'zh-CN fc/docs/a fc/docs/a',
    'spec/en/0.0.2/readme.md': 'en en/fc/spec/002 fc/spec/002',
    'spec/readme_en.md': 'en en/fc/spec fc/spec',
  });
  assert.equal(pageSlug('fc', ['docs'], 'docs/en/x.md'), 'en/fc/x');
  assert.equal(pageSlug('fc', ['docs'], 'docs/en/x.md', { layout: 'none', default: 'zh-CN' }), 'fc/en/x');
  assert.equal(pageSlug('fc', ['docs'], 'src/x.md'), undefined);
});

test('pages carry lang and translationKey; the file in the language folder wins over docs/readme.md and is reported', () => {
  const r = transform({
    'docs/readme.md': 'landing page with [中文](./readme.md) and [English](./readme_en.md)\n',
    'docs/readme_en.md': 'English landing page\n',
    'docs/zh/readme.md': '---\ntitle: 简介\n---\n正文\n',
    'docs/en/readme.md': '---\ntitle: Introduction\n---\nBody\n',
    'docs/zh/guide.md': '# 指南\n',
  });
  assert.deepEqual(
    r.pages.map((p) => [p.slug, p.lang, p.translationKey, p.title]),
    [
      ['en/fc', 'en', 'fc', 'Introduction'],
      ['fc', 'zh-CN', 'fc', '简介'],
      ['fc/guide', 'zh-CN', 'fc/guide', '指南'],
    ],
  );
  assert.deepEqual(
    r.diagnostics.map((d) => [d.kind, d.file]),
    [
      ['duplicate-page', 'docs/readme.md'],
      ['duplicate-page', 'docs/readme_en.md'],
    ],
  );
  assert.match(r.diagnostics[0]?.message ?? '', /docs\/zh\/readme\.md was kept/);
});

test('links follow the target file: English to English, and to Chinese when the link names a Chinese file', () => {
  const r = transform({
    'docs/zh/a.md': '# A\n\n[b](./b.md) [en](../en/a.md)\n',
    'docs/zh/b.md': '# B\n\n## 参数\n',
    'docs/en/a.md': '# A\n\n[b](./b.md#params) [zh](../zh/b.md#参数) [faq](../faq_en.md)\n',
    'docs/en/b.md': '# B\n\n## Params\n',
    'docs/faq.md': '# 常见问题\n',
    'docs/faq_en.md': '# FAQ\n',
  });
  assert.deepEqual(r.diagnostics, []);
  assert.match(r.page('fc/a').body, /\[b\]\(\/fc\/b\/\) \[en\]\(\/en\/fc\/a\/\)/);
  assert.match(r.page('en/fc/a').body, /\[b\]\(\/en\/fc\/b\/#params\) \[zh\]\(\/fc\/b\/#参数\) \[faq\]\(\/en\/fc\/faq\/\)/);
});

test('titles from file names lose language folders and suffixes', () => {
  const r = transform({ 'docs/zh/readme.md': 'x\n', 'docs/en/command/readme.md': 'x\n', 'docs/tips_en.md': 'x\n', 'docs/a/b/readme_en.md': 'x\n' });
  assert.deepEqual(
    r.pages.map((p) => [p.slug, p.title]),
    [
      ['en/fc/a/b', 'b'],
      ['en/fc/command', 'command'],
      ['en/fc/tips', 'tips'],
      ['fc', 'Function Compute'],
    ],
  );
});

test('an English-only site: English pages at /fc/… (no /en/), unmarked files English, Chinese files left out with the reason', () => {
  const site = { languages: ['en' as const], labels: { en: 'English' } };
  assert.deepEqual(
    places(['docs/readme.md', 'docs/README_zh.md', 'docs/en/a.md', 'docs/zh/a.md', 'docs/b.md', 'docs/c_en.md'], { layout: 'auto', default: 'en', site }),
    {
      'docs/readme.md': 'en fc fc',
      'docs/en/a.md': 'en fc/a fc/a',
      'docs/b.md': 'en fc/b fc/b',
      'docs/c_en.md': 'en fc/c fc/c',
    },
  );
  const r = transform(
    { 'docs/readme.md': '# Home\n\n[A](./en/a.md)\n', 'docs/readme_zh.md': '# 首页\n', 'docs/en/a.md': '# A\n' },
    { languages: { layout: 'auto', default: 'en', site } },
  );
  assert.deepEqual(
    r.pages.map((p) => [p.slug, p.lang, p.title]),
    [
      ['fc', 'en', 'Home'],
      ['fc/a', 'en', 'A'],
    ],
  );
  assert.match(r.page('fc').body, /\[A\]\(\/fc\/a\/\)/);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.file, d.message]),
    [['docs/readme_zh.md', "Skipped: in zh-CN, which is not one of the site's languages (site.languages in the sources file)."]],
  );
});

test('an English-first site with Chinese: English pages at /fc/…, Chinese ones at /zh/fc/…, same key; unmarked files English', () => {
  const site = { languages: ['en' as const, 'zh-CN' as const], labels: { en: 'English', 'zh-CN': '简体中文' } };
  const languages: LanguageSettings = { layout: 'auto', default: 'en', site };
  assert.deepEqual(places(['docs/zh/x.md', 'docs/en/x.md', 'docs/readme.md', 'docs/readme_zh.md', 'docs/b.md', 'docs/c_zh-CN.md'], languages), {
    'docs/zh/x.md': 'zh-CN zh/fc/x fc/x',
    'docs/en/x.md': 'en fc/x fc/x',
    'docs/readme.md': 'en fc fc',
    'docs/readme_zh.md': 'zh-CN zh/fc fc',
    'docs/b.md': 'en fc/b fc/b',
    'docs/c_zh-CN.md': 'zh-CN zh/fc/c fc/c',
  });
  assert.equal(pageSlug('fc', ['docs'], 'docs/zh/x.md', languages), 'zh/fc/x');
  // Links follow the prefix: from the Chinese page to its sibling, and to the English page.
  const r = transform(
    {
      'docs/zh/x.md': '# 甲\n\n[乙](./y.md) [English](../en/x.md)\n',
      'docs/zh/y.md': '# 乙\n',
      'docs/en/x.md': '# X\n\n[Y](./y.md)\n',
      'docs/en/y.md': '# Y\n',
    },
    { languages },
  );
  assert.deepEqual(r.pages.map((p) => [p.slug, p.lang, p.translationKey]).sort(), [
    ['fc/x', 'en', 'fc/x'],
    ['fc/y', 'en', 'fc/y'],
    ['zh/fc/x', 'zh-CN', 'fc/x'],
    ['zh/fc/y', 'zh-CN', 'fc/y'],
  ]);
  assert.match(r.page('zh/fc/x').body, /\[乙\]\(\/zh\/fc\/y\/\) \[English\]\(\/fc\/x\/\)/);
  assert.match(r.page('fc/x').body, /\[Y\]\(\/fc\/y\/\)/);
  assert.deepEqual(r.diagnostics, []);
});
