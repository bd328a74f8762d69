import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseFrontmatter } from 'astro/markdown';
import type { SiteManifest } from '../../functions/core/build/siteManifest.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { page, pages, sources, split } from '../support/writeContentPages.ts';

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
