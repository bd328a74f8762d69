import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { parseFrontmatter } from 'astro/markdown';
import { escapeMarkdown, markdownFile } from '../../functions/core/build/markdownFile.ts';
import type { SiteManifest } from '../../functions/core/build/siteManifest.ts';
import { sourceSidebar } from '../../functions/core/build/sourceSidebar.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import type { Page, SourceConfig } from '../../functions/core/types.ts';

/** Split a written markdown file into its front matter (parsed) and body. */
function split(text: string): { front: Record<string, unknown>; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n\n?([\s\S]*)$/.exec(text);
  assert.ok(m, `no front matter in:\n${text}`);
  return { front: parseYaml(m[1]!) as Record<string, unknown>, body: m[2]! };
}

const sources: SourceConfig[] = [
  { id: 'fc', title: '函数计算 FC', description: 'Deploy: "functions" & more', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] },
  { id: 'oss', title: 'OSS [beta]', repo: { owner: 'devsapp', name: 'oss' }, paths: ['docs'] },
  { id: 'empty', title: 'Empty', paths: ['.'], localPath: '/nowhere' },
];
const page = (p: Partial<Page> & Pick<Page, 'source' | 'slug' | 'title'>): Page => ({ file: `${p.slug}.md`, body: `Body of ${p.slug}`, ...p });
const pages: Page[] = [
  page({ source: 'fc', slug: 'fc', title: 'FC 组件', body: '# Intro\n\nHello<br>world' }),
  page({ source: 'fc', slug: 'fc/quick-start', title: 'Quick start: 5 "minutes"', order: 1, description: "It's: fast\nreally" }),
  page({ source: 'fc', slug: 'fc/命令/部署', title: '部署', order: 2 }),
  page({ source: 'fc', slug: 'fc/命令', title: '命令 #commands' }),
  page({ source: 'fc', slug: 'fc/命令/删除', title: '删除' }),
  page({ source: 'oss', slug: 'oss/upload', title: 'yes' }),
  page({ source: 'oss', slug: 'oss/faq', title: '2024-01-01', order: 3 }),
];

describe('writeContent', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-content-'));
    await writeFile(join(dir, 'stale.md'), '---\ntitle: stale\n---\n');
    await writeContent(dir, pages, sources, { title: 'Serverless Devs 文档', description: 'All the docs: one place' });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('empties the folder and writes one <slug>.md per page, plus the generated pages and the manifest', async () => {
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.md') || f.endsWith('.json')).sort();
    assert.deepEqual(files, [
      'empty.md',
      'fc.md',
      'fc/quick-start.md',
      'fc/命令.md',
      'fc/命令/删除.md',
      'fc/命令/部署.md',
      'index.md',
      'oss.md',
      'oss/faq.md',
      'oss/upload.md',
      'site.json',
    ]);
  });

  it('writes front matter that Astro reads back exactly (quotes, colons, Chinese, date- and boolean-like titles)', async () => {
    for (const p of pages) {
      const text = await readFile(join(dir, `${p.slug}.md`), 'utf8');
      const { front, body } = split(text);
      assert.deepEqual(parseFrontmatter(text).frontmatter, front, `Astro's parser and yaml disagree on ${p.slug}`);
      assert.equal(front.title, p.title);
      assert.equal(front.slug, p.slug);
      assert.deepEqual(front.sidebar, p.order === undefined ? undefined : { order: p.order });
      assert.equal(body, `${p.body}\n`);
    }
    const { front } = split(await readFile(join(dir, 'fc/quick-start.md'), 'utf8'));
    assert.equal(front.description, "It's: fast really", 'a newline in a description becomes a space');
  });

  it('generates an index page for a source without one, listing its pages', async () => {
    const { front, body } = split(await readFile(join(dir, 'oss.md'), 'utf8'));
    assert.equal(front.title, 'OSS [beta]');
    assert.equal(front.slug, 'oss');
    assert.match(body, /\[devsapp\/oss\]\(https:\/\/github\.com\/devsapp\/oss\)/);
    assert.ok(body.indexOf('(/oss/faq/)') < body.indexOf('(/oss/upload/)'), 'ordered pages come first');
    assert.match(body, /^源仓库：\[devsapp/m, 'worded in the site language');
    assert.equal(split(await readFile(join(dir, 'empty.md'), 'utf8')).body, '该组件还没有页面。\n');
    // A source with its own readme keeps it.
    assert.equal(split(await readFile(join(dir, 'fc.md'), 'utf8')).front.title, 'FC 组件');
  });

  it('writes a splash landing page: a hero, then a card per component with description, repo and page count, text escaped', async () => {
    const { front, body } = split(await readFile(join(dir, 'index.md'), 'utf8'));
    assert.deepEqual(front, { title: 'Serverless Devs 文档', slug: 'index', description: 'All the docs: one place', template: 'splash' });
    const cards = body.split('<li class="ds-card').slice(1);
    assert.equal(cards.length, 3);
    assert.match(cards[0]!, /<a class="ds-card-title" href="\/fc\/">函数计算 FC<\/a>/);
    assert.match(cards[0]!, /<p class="ds-card-description">Deploy: &#34;functions&#34; &#38; more<\/p>/, 'HTML-escaped');
    assert.match(cards[0]!, /<span>5 页<\/span><span aria-hidden="true"> · <\/span><a href="https:\/\/github\.com\/devsapp\/fc">devsapp\/fc<\/a>/);
    assert.match(cards[1]!, /href="\/oss\/">OSS \[beta\]<\/a>[\s\S]*<span>2 页<\/span>/);
    assert.match(cards[2]!, /href="\/empty\/">Empty<\/a>[\s\S]*<span>0 页<\/span>/);
    assert.doesNotMatch(body, /\n\n/, 'one HTML block: markdown inside it is not interpreted');
    const manifest = JSON.parse(await readFile(join(dir, 'site.json'), 'utf8')) as SiteManifest;
    assert.deepEqual(manifest.pages.find((p) => p.slug === '')!.hero, { tagline: 'All the docs: one place' }, "the site's description is the hero's line");
  });

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

  it('writes the manifest: site config, sources, and every page with its fields and the digest of its file', async () => {
    const manifest = JSON.parse(await readFile(join(dir, 'site.json'), 'utf8')) as SiteManifest;
    assert.deepEqual(manifest.config, {
      title: 'Serverless Devs 文档',
      description: 'All the docs: one place',
      locales: { root: { label: '简体中文', lang: 'zh-CN' } },
      search: { shards: ['empty', 'fc', 'oss'] },
    });
    assert.deepEqual(
      manifest.sources.map((s) => [s.id, s.repo, s.pages.length]),
      [
        ['fc', 'devsapp/fc', 5],
        ['oss', 'devsapp/oss', 3],
        ['empty', undefined, 1],
      ],
    );
    const quick = manifest.pages.find((p) => p.slug === 'fc/quick-start')!;
    const text = await readFile(join(dir, 'fc/quick-start.md'), 'utf8');
    assert.deepEqual(quick, {
      slug: 'fc/quick-start',
      title: 'Quick start: 5 "minutes"',
      source: 'fc',
      file: 'fc/quick-start.md',
      digest: createHash('sha256').update(text).digest('hex'),
      lang: 'zh-CN',
      order: 1,
      description: "It's: fast\nreally",
      shard: 'fc',
    });
    const home = manifest.pages.find((p) => p.slug === '')!;
    assert.deepEqual([home.file, home.template, home.shard, home.title], ['index.md', 'splash', undefined, 'Serverless Devs 文档']);
    assert.equal(manifest.pages.find((p) => p.slug === 'oss')!.generated, true);
  });

  it('writes a slug given twice once, the first page winning', async (t) => {
    const twice = [page({ source: 'oss', slug: 'oss/a', title: 'First' }), page({ source: 'oss', slug: 'oss/a', title: 'Second' })];
    const out = `${dir}-twice`;
    t.after(() => rm(out, { recursive: true, force: true }));
    await writeContent(out, twice, [sources[1]!]);
    assert.equal(split(await readFile(join(out, 'oss/a.md'), 'utf8')).front.title, 'First');
    const manifest = JSON.parse(await readFile(join(out, 'site.json'), 'utf8')) as SiteManifest;
    assert.deepEqual(
      manifest.pages.map((p) => [p.slug, p.title]),
      [
        ['oss/a', 'First'],
        ['oss', 'OSS [beta]'],
        ['', 'docs-sync'],
      ],
    );
  });

  it('into the folder of an earlier write, writes only the files that changed and deletes those of removed pages', async (t) => {
    const out = `${dir}-again`;
    t.after(() => rm(out, { recursive: true, force: true }));
    await writeContent(out, pages, sources);
    const before = await stat(join(out, 'fc/命令/部署.md'));
    const edited = pages.filter((p) => p.slug !== 'oss/faq').map((p) => (p.slug === 'fc/quick-start' ? { ...p, body: 'Edited.' } : p));
    const manifest = await writeContent(out, edited, sources);
    assert.equal((await stat(join(out, 'fc/命令/部署.md'))).mtimeMs, before.mtimeMs, 'an unchanged page is not rewritten');
    assert.match(await readFile(join(out, 'fc/quick-start.md'), 'utf8'), /Edited\.\n$/);
    await assert.rejects(stat(join(out, 'oss/faq.md')), /ENOENT/, "a removed page's file is deleted");
    assert.match(await readFile(join(out, 'oss.md'), 'utf8'), /oss\/upload/, 'the generated index is rewritten without it');
    assert.doesNotMatch(await readFile(join(out, 'oss.md'), 'utf8'), /oss\/faq/);
    assert.deepEqual(JSON.parse(await readFile(join(out, 'site.json'), 'utf8')), manifest);
  });

  it('refuses a slug that would escape the content folder', async () => {
    const bad = [page({ source: 'fc', slug: 'fc/../../etc', title: 'x' })];
    await assert.rejects(writeContent(join(dir, 'bad'), bad, sources), /not a safe URL path/);
  });
});

describe('sourceSidebar', () => {
  it('puts the index first, then pages and folders by order, then slug', () => {
    assert.deepEqual(
      sourceSidebar(
        'fc',
        pages.filter((p) => p.source === 'fc'),
      ),
      [
        { slug: 'fc' },
        { slug: 'fc/quick-start' },
        { label: '命令 #commands', collapsed: false, items: [{ slug: 'fc/命令' }, { slug: 'fc/命令/部署' }, { slug: 'fc/命令/删除' }] },
      ],
    );
  });

  it('labels a folder without an index page by its name', () => {
    assert.deepEqual(
      sourceSidebar('s', [
        { slug: 's/a/b', title: 'B' },
        { slug: 's/z', title: 'Z', order: 1 },
      ]),
      [{ slug: 's/z' }, { label: 'a', collapsed: false, items: [{ slug: 's/a/b' }] }],
    );
  });

  it("groups a folder's pages by front matter category, ordering by position within each (the Serverless Devs convention)", () => {
    const cmd = (name: string, order: number, category?: string) => ({ slug: `fc/command/${name}`, title: name, order, ...(category ? { category } : {}) });
    const sidebar = sourceSidebar('fc', [
      { slug: 'fc', title: 'FC', order: 1, category: '概览' },
      { slug: 'fc/config', title: 'Config', order: 2, category: '概览' },
      { slug: 'fc/tips', title: 'Tips', order: 6, category: '概览' },
      cmd('nas', 1, '其他功能'),
      cmd('api', 6, '其他功能'),
      cmd('build', 2, '构建&部署'),
      cmd('deploy', 1, '构建&部署'),
      cmd('local', 1, '调用&调试'),
      cmd('invoke', 2, '调用&调试'),
      cmd('alias', 3, '发布&配置'),
      cmd('help', 0),
    ]);
    assert.deepEqual(
      sidebar,
      [
        { slug: 'fc' },
        { slug: 'fc/config' },
        { slug: 'fc/tips' },
        {
          label: 'command',
          collapsed: false,
          items: [
            { slug: 'fc/command/help' },
            { label: '构建&部署', collapsed: false, items: [{ slug: 'fc/command/deploy' }, { slug: 'fc/command/build' }] },
            { label: '调用&调试', collapsed: false, items: [{ slug: 'fc/command/local' }, { slug: 'fc/command/invoke' }] },
            { label: '其他功能', collapsed: false, items: [{ slug: 'fc/command/nas' }, { slug: 'fc/command/api' }] },
            { label: '发布&配置', collapsed: false, items: [{ slug: 'fc/command/alias' }] },
          ],
        },
      ],
      "the index's own category first, ungrouped; then categories at their lowest position, 'other' ones after the rest at the same position",
    );
    const yaml = sourceSidebar('fc', [
      { slug: 'fc/yaml/a', title: 'A', order: 2, category: 'Yaml规范' },
      { slug: 'fc/yaml/b', title: 'B', order: 1, category: 'Yaml规范' },
    ]);
    assert.deepEqual(
      yaml,
      [{ label: 'Yaml规范', collapsed: false, items: [{ slug: 'fc/yaml/b' }, { slug: 'fc/yaml/a' }] }],
      'a folder whose pages share one category: not split, labelled by it',
    );
  });
});

describe('markdownFile', () => {
  it('keeps tricky titles as strings and drops control characters', () => {
    const text = markdownFile({ title: 'null: #1 \u2028 "x"\u0007', slug: 'a/b' }, '\uFEFFbody\n\n\n');
    const { front, body } = split(text);
    assert.deepEqual(front, { title: 'null: #1 "x"', slug: 'a/b' });
    assert.deepEqual(parseFrontmatter(text).frontmatter, front);
    assert.equal(body, 'body\n');
  });

  it('escapes markdown punctuation but not Chinese', () => {
    assert.equal(escapeMarkdown('a*b* [c](d) <e> &amp; `f` 中文: 2024-01-01'), 'a\\*b\\* \\[c\\](d) \\<e\\> \\&amp; \\`f\\` 中文: 2024-01-01');
    assert.equal(escapeMarkdown('# not a heading'), '\\# not a heading');
    assert.equal(escapeMarkdown('- not a list'), '\\- not a list');
    assert.equal(escapeMarkdown('1. not a list'), '1\\. not a list');
  });
});
