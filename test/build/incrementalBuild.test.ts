/**
 * Incremental builds give the same site as a cold build, byte for byte: every file (HTML, search
 * indexes, sitemap, assets). One builder process builds a small site, then an edited body, a changed
 * title, and (in a new process) an added page; each output is compared with a cold build of the same
 * content in an empty cache. Also checks that the incremental builds did only the work needed.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildSite } from '../../functions/core/build/buildSite.ts';
import { createSiteBuilder, type SiteBuilder, type SiteBuildResult } from '../../functions/core/build/createSiteBuilder.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import type { Page, SourceConfig } from '../../functions/core/types.ts';

const sources: SourceConfig[] = [
  { id: 'fc', title: '函数计算 FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] },
  { id: 'oss', title: 'OSS', repo: { owner: 'devsapp', name: 'oss' }, paths: ['docs'] },
  { id: 'guide', title: 'Guide', paths: ['.'], localPath: '/guide' },
];
const FENCE = '```yaml\nedition: 3.0.0\nname: demo\n```';
const page = (slug: string, title: string, body: string, extra: Partial<Page> = {}): Page => ({
  source: slug.replace(/^en\//, '').split('/')[0]!,
  slug,
  title,
  file: `docs/${slug}.md`,
  body,
  ...extra,
});
const v1: Page[] = [
  page('fc', 'FC 组件', '函数计算组件。\n\n## 安装\n\n先安装 Serverless Devs。'),
  page('fc/命令/部署', '部署', `部署函数。\n\n| 参数 | 说明 |\n|---|---|\n| region | 地域 |\n\n${FENCE}`, {
    order: 1,
    lastUpdated: '2024-03-01T10:00:00Z',
    editUrl: 'https://github.com/devsapp/fc/edit/main/docs/命令/部署.md',
  }),
  page('fc/命令/删除', '删除', '删除函数。', { order: 2 }),
  page('oss/upload', 'Upload', 'Upload files to a bucket.'),
  page('oss/faq', 'FAQ', 'Questions and answers.'),
  page('guide', 'Guide', 'Read me first.'),
  page('en/fc/命令/部署', 'Deploy', `Deploy a function.\n\n${FENCE}`, { lang: 'en', translationKey: 'fc/命令/部署' }),
];
const edit = (pages: Page[], slug: string, change: Partial<Page>): Page[] => pages.map((p) => (p.slug === slug ? { ...p, ...change } : p));
const v2 = edit(v1, 'fc/命令/删除', { body: '删除函数。\n\n## 注意\n\n删除后无法恢复。' });
const v3 = edit(v2, 'oss/faq', { title: 'Questions' });
const v4 = [...v3, page('guide/install', 'Install', 'Run `npm install`.')];

/** Every file under `root`, relative, with its bytes. */
async function files(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(root.length + 1), await readFile(join(e.parentPath, e.name)));
  }
  return out;
}

async function assertSameSite(actual: string, expected: string): Promise<void> {
  const [a, b] = [await files(actual), await files(expected)];
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), 'the same files');
  const differ = [...a].filter(([path, bytes]) => !bytes.equals(b.get(path)!)).map(([path]) => path);
  assert.deepEqual(differ, [], 'every file byte-identical');
  assert.ok(
    [...a.keys()].some((p) => p.startsWith('pagefind/shard/fc/')),
    'search shards compared too',
  );
}

describe('incremental builds', () => {
  let dir: string;
  let builder: SiteBuilder;
  let n = 0;
  const results: SiteBuildResult[] = [];
  /** Build `pages` with the long-lived builder, and cold in a fresh cache; returns both outputs. */
  const buildBoth = async (pages: Page[]): Promise<{ incremental: string; cold: string; result: SiteBuildResult }> => {
    const k = ++n;
    const content = join(dir, `content-${k}`);
    await writeContent(content, pages, sources, { title: 'Fixture Docs', url: 'https://docs.example.com' });
    const incremental = join(dir, `out-${k}`);
    const result = await builder.build({ contentDir: content, outDir: incremental, cacheDir: join(dir, 'cache') });
    results.push(result);
    const cold = join(dir, `cold-${k}`);
    await buildSite({ contentDir: content, outDir: cold, cacheDir: join(dir, `cold-cache-${k}`) });
    return { incremental, cold, result };
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-incremental-'));
    builder = createSiteBuilder();
    await writeContent(join(dir, 'content-0'), v1, sources, { title: 'Fixture Docs', url: 'https://docs.example.com' });
    results.push(await builder.build({ contentDir: join(dir, 'content-0'), outDir: join(dir, 'out-0'), cacheDir: join(dir, 'cache') }));
  });
  after(async () => {
    await builder?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('first builds everything with astro build', () => {
    assert.equal(results[0]!.mode, 'astro');
    assert.equal(results[0]!.rendered, results[0]!.pages);
  });

  it('renders only the edited page without astro build, and re-indexes only its component', async () => {
    const { incremental, cold, result } = await buildBoth(v2);
    assert.deepEqual([result.mode, result.rendered, result.markdown, result.search.indexed], ['warm', 1, 1, 1]);
    assert.match(await readFile(join(incremental, 'fc/命令/删除/index.html'), 'utf8'), /删除后无法恢复/);
    await assertSameSite(incremental, cold);
  });

  it("re-renders a component's pages when one of its titles changes (their sidebars show it), nothing else", async () => {
    const { incremental, cold, result } = await buildBoth(v3);
    // The OSS pages: its generated index (which lists the title), upload and faq.
    assert.deepEqual([result.mode, result.rendered, result.search.indexed], ['warm', 3, 1]);
    assert.match(await readFile(join(incremental, 'oss/upload/index.html'), 'utf8'), />Questions</);
    await assertSameSite(incremental, cold);
  });

  it('adds a page in a new builder process: astro build renders what changed and reuses the rest', async () => {
    await builder.close();
    builder = createSiteBuilder();
    const { incremental, cold, result } = await buildBoth(v4);
    assert.equal(result.mode, 'astro');
    assert.ok(result.rendered < result.pages / 2, `rendered ${result.rendered} of ${result.pages}`);
    assert.match(await readFile(join(incremental, 'guide/install/index.html'), 'utf8'), /npm install/);
    await assertSameSite(incremental, cold);
  });
});
