import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { page, pages, sources, split } from '../support/writeContentPages.ts';

describe('writeContent', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-content-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes an English landing page at /en/ listing the components with English pages, and links the two home pages as translations', async (t) => {
    const out = `${dir}-english`;
    t.after(() => rm(out, { recursive: true, force: true }));
    const bilingual = [
      ...pages,
      page({ source: 'oss', slug: 'en/oss/upload', title: 'Upload', lang: 'en', translationKey: 'oss/upload' }),
      page({ source: 'oss', slug: 'en/oss/faq', title: 'FAQ', lang: 'en', translationKey: 'oss/faq', order: 3 }),
    ];
    const status = { oss: { lastUpdated: '2024-05-06T07:08:09Z' } };
    const manifest = await writeContent(out, bilingual, sources, { title: 'Docs', sourceStatus: status });
    const en = split(await readFile(join(out, 'en.md'), 'utf8'));
    assert.deepEqual(en.front, { title: 'Docs', slug: 'en', template: 'splash' });
    assert.equal(
      en.body,
      [
        '<ul class="ds-cards">',
        '<li class="ds-card">',
        '<a class="ds-card-title" href="/en/oss/">OSS [beta]</a>',
        '<p class="ds-card-facts"><span>2 pages</span><span aria-hidden="true"> · </span><a href="https://github.com/devsapp/oss">devsapp/oss</a><span aria-hidden="true"> · </span><span>last updated 2024-05-06</span></p>',
        '</li>',
        '</ul>',
        '',
      ].join('\n'),
      'only components with English pages, linked to their first one, in English',
    );
    assert.match(
      split(await readFile(join(out, 'index.md'), 'utf8')).body,
      /href="\/oss\/">OSS \[beta\]<\/a>\n<p class="ds-card-facts"><span>4 页<\/span>.*<span>最近更新 2024-05-06<\/span>/,
    );
    // The generated component index, per language: its own language's pages, its language's words.
    const ossZh = split(await readFile(join(out, 'oss.md'), 'utf8'));
    const ossEn = split(await readFile(join(out, 'en/oss.md'), 'utf8'));
    assert.doesNotMatch(ossZh.body, /\/en\//, 'the Chinese index lists no English page');
    assert.equal(ossEn.body, 'Source repository: [devsapp/oss](https://github.com/devsapp/oss)\n\n- [FAQ](/en/oss/faq/)\n- [Upload](/en/oss/upload/)\n');
    const indexes = manifest.pages.filter((p) => p.generated).map((p) => [p.slug, p.lang, p.translationKey]);
    assert.deepEqual(indexes, [
      ['oss', 'zh-CN', 'oss'],
      ['en/oss', 'en', 'oss'],
      ['empty', 'zh-CN', 'empty'],
    ]);
    const homes = manifest.pages.filter((p) => p.template === 'splash').map((p) => [p.slug, p.file, p.lang, p.translationKey, p.hero?.tagline]);
    assert.deepEqual(
      homes,
      [
        ['', 'index.md', 'zh-CN', '', '3 个组件，9 页文档，与各自的源仓库保持同步。'],
        ['en', 'en.md', 'en', '', '1 component, 2 pages, each kept in step with its own repository.'],
      ],
      'without a site description the hero sums up what the site holds',
    );
    // Without English pages there is no English home.
    await writeContent(out, pages, sources);
    await assert.rejects(stat(join(out, 'en.md')), /ENOENT/);
  });

  it('an English-only site (site.languages: en): one English locale at /, English home page and component indexes, no /en/', async (t) => {
    const out = `${dir}-english-only`;
    t.after(() => rm(out, { recursive: true, force: true }));
    const site = { languages: ['en' as const], labels: { en: 'English' } };
    const english = sources.map((s) => ({ ...s, languages: { layout: 'auto' as const, default: 'en' as const, site } }));
    const own = [page({ source: 'fc', slug: 'fc', title: 'FC', lang: 'en' }), page({ source: 'oss', slug: 'oss/upload', title: 'Upload', lang: 'en' })];
    const manifest = await writeContent(out, own, english);
    assert.deepEqual(manifest.config.locales, { root: { label: 'English', lang: 'en' } });
    await assert.rejects(stat(join(out, 'en.md')), /ENOENT/);
    const home = manifest.pages.find((p) => p.slug === '')!;
    assert.equal(home.lang, 'en');
    assert.equal(home.hero?.tagline, '3 components, 2 pages, each kept in step with its own repository.');
    assert.match(split(await readFile(join(out, 'index.md'), 'utf8')).body, /<span>1 page<\/span>/);
    assert.equal(
      split(await readFile(join(out, 'oss.md'), 'utf8')).body,
      'Source repository: [devsapp/oss](https://github.com/devsapp/oss)\n\n- [Upload](/oss/upload/)\n',
    );
    assert.equal(split(await readFile(join(out, 'empty.md'), 'utf8')).body, 'This component has no pages yet.\n');
    assert.deepEqual(
      manifest.pages.map((p) => p.lang).filter((l) => l !== 'en'),
      [],
      'every page is English',
    );
  });

  it('an English-first site with Chinese (site.languages: [en, zh-CN]): English at /, Chinese at /zh/ (home page, component indexes)', async (t) => {
    const out = `${dir}-english-first`;
    t.after(() => rm(out, { recursive: true, force: true }));
    const site = { languages: ['en' as const, 'zh-CN' as const], labels: { en: 'English', 'zh-CN': '简体中文' } };
    const both = sources.map((s) => ({ ...s, languages: { layout: 'auto' as const, default: 'en' as const, site } }));
    const own = [
      page({ source: 'oss', slug: 'oss/upload', title: 'Upload', lang: 'en', translationKey: 'oss/upload' }),
      page({ source: 'oss', slug: 'zh/oss/upload', title: '上传', lang: 'zh-CN', translationKey: 'oss/upload' }),
    ];
    const manifest = await writeContent(out, own, both);
    assert.deepEqual(manifest.config.locales, { root: { label: 'English', lang: 'en' }, zh: { label: '简体中文', lang: 'zh-CN' } });
    await assert.rejects(stat(join(out, 'en.md')), /ENOENT/);
    const homes = manifest.pages.filter((p) => p.template === 'splash').map((p) => [p.slug, p.file, p.lang, p.hero?.tagline]);
    assert.deepEqual(homes, [
      ['', 'index.md', 'en', '3 components, 2 pages, each kept in step with its own repository.'], // / counts every page, as on a Chinese-first site
      ['zh', 'zh.md', 'zh-CN', '1 个组件，1 页文档，与各自的源仓库保持同步。'],
    ]);
    assert.equal(split(await readFile(join(out, 'zh.md'), 'utf8')).front.slug, 'zh');
    assert.match(split(await readFile(join(out, 'zh.md'), 'utf8')).body, /href="\/zh\/oss\/">OSS \[beta\]<\/a>[\s\S]*<span>1 页<\/span>/);
    assert.equal(
      split(await readFile(join(out, 'oss.md'), 'utf8')).body,
      'Source repository: [devsapp/oss](https://github.com/devsapp/oss)\n\n- [Upload](/oss/upload/)\n',
    );
    assert.equal(
      split(await readFile(join(out, 'zh/oss.md'), 'utf8')).body,
      '源仓库：[devsapp/oss](https://github.com/devsapp/oss)\n\n- [上传](/zh/oss/upload/)\n',
    );
    assert.deepEqual(
      manifest.pages.filter((p) => p.slug === 'oss' || p.slug === 'zh/oss').map((p) => [p.slug, p.lang, p.translationKey]),
      [
        ['oss', 'en', 'oss'],
        ['zh/oss', 'zh-CN', 'oss'],
      ],
    );
  });
});
