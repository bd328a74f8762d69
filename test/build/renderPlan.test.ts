/**
 * What a page shows besides its body (pageSpecs) and what a build re-renders (renderPlan): a page is
 * rendered again exactly when something it shows changed, never otherwise.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pageSpecs, type NavEntry, type PageSpec } from '../../functions/core/build/pageSpecs.ts';
import { renderPlan, type RenderPlan } from '../../functions/core/build/renderPlan.ts';
import type { BuildState } from '../../functions/core/build/buildState.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import type { Page, SourceConfig } from '../../functions/core/types.ts';

const sources: SourceConfig[] = [
  { id: 'fc', title: '函数计算 FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] },
  { id: 'oss', title: 'OSS', repo: { owner: 'devsapp', name: 'oss' }, paths: ['docs'] },
];
const page = (slug: string, title: string, extra: Partial<Page> = {}): Page => ({
  source: slug.replace(/^en\//, '').split('/')[0]!,
  slug,
  title,
  file: `docs/${slug}.md`,
  body: `Body of ${slug}.`,
  ...extra,
});
const base: Page[] = [
  page('fc', 'FC 组件'),
  page('fc/quick-start', 'Quick start', { order: 1 }),
  page('fc/命令/部署', '部署', { order: 2 }),
  page('fc/命令/删除', '删除', { order: 3 }),
  page('oss/upload', 'Upload'),
  page('en/fc/quick-start', 'Quick start (en)', { lang: 'en', translationKey: 'fc/quick-start' }),
];

let dir: string;
let n = 0;
const specsOf = async (pages: Page[], list = sources): Promise<PageSpec[]> =>
  pageSpecs(await writeContent(join(dir, `c${++n}`), pages, list, { title: 'Docs' }));
const stateOf = (plan: RenderPlan, bundle: string): BuildState => ({
  version: 1,
  bundleKey: bundle,
  pages: plan.keys,
  shards: Object.fromEntries(plan.shards.map((s) => [s.name, s.key])),
  mirror: 'output-0',
});
const labels = (items: NavEntry[] | undefined): string[] =>
  (items ?? []).flatMap((i) => (i.type === 'link' ? [i.label] : [`[${i.label}]`, ...labels(i.entries)]));
const link = (label: string, href: string): NavEntry => ({ type: 'link', label, href, attrs: {} });
const nearby = (spec: PageSpec): Array<string | undefined> => [spec.pagination.prev?.href, spec.pagination.next?.href];
const by = (specs: PageSpec[], slug: string): PageSpec => specs.find((s) => s.slug === slug)!;
const rendered = (plan: RenderPlan): string[] => plan.render.map((s) => s.slug).sort();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docs-sync-plan-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('pageSpecs', () => {
  it("gives a page the component switcher and its own component's tree only, in its language", async () => {
    const specs = await specsOf(base);
    const deploy = by(specs, 'fc/命令/部署');
    assert.deepEqual(labels(deploy.nav?.entries), ['[全部组件]', '函数计算 FC', 'OSS', 'FC 组件', 'Quick start', '[命令]', '部署', '删除']);
    assert.deepEqual(deploy.nav!.entries[0], {
      type: 'group',
      label: '全部组件',
      collapsed: true,
      entries: [link('函数计算 FC', '/fc/'), link('OSS', '/oss/')],
    });
    assert.deepEqual(
      labels(by(specs, 'oss/upload').nav?.entries),
      ['[全部组件]', '函数计算 FC', 'OSS', 'OSS', 'Upload'],
      "the generated OSS index, then its pages; nothing of FC's",
    );
    assert.equal(by(specs, 'fc/quick-start').nav, deploy.nav, "one sidebar for the component's pages");
    assert.equal(by(specs, '').nav, undefined, 'the home page has no sidebar');
    assert.equal(by(specs, '').frontmatter.template, 'splash');
  });

  it('links previous and next pages within the component only', async () => {
    const specs = await specsOf(base);
    assert.deepEqual(nearby(by(specs, 'fc/命令/部署')), ['/fc/quick-start/', '/fc/%E5%91%BD%E4%BB%A4/%E5%88%A0%E9%99%A4/']);
    assert.equal(by(specs, 'fc/命令/部署').pagination.prev?.label, 'Quick start');
    assert.deepEqual(nearby(by(specs, 'fc/命令/删除')), ['/fc/%E5%91%BD%E4%BB%A4/%E9%83%A8%E7%BD%B2/', undefined], 'the last FC page does not lead into OSS');
    assert.deepEqual(nearby(by(specs, 'oss')), [undefined, '/oss/upload/']);
  });

  it("gives English pages their component's English pages, and lists only components with English pages", async () => {
    const specs = await specsOf(base);
    const en = by(specs, 'en/fc/quick-start');
    assert.equal(en.entry.lang, 'en');
    assert.deepEqual(en.nav?.entries, [
      { type: 'group', label: 'All components', collapsed: true, entries: [link('函数计算 FC', '/en/fc/')] },
      link('函数计算 FC', '/en/fc/'),
      link('Quick start (en)', '/en/fc/quick-start/'),
    ]);
    assert.deepEqual(nearby(en), ['/en/fc/', undefined], 'after the generated English index of FC');
    assert.equal(en.outFile, 'en/fc/quick-start/index.html');
  });
});

describe('renderPlan', () => {
  it('renders everything without a previous build, then nothing when nothing changed', async () => {
    const specs = await specsOf(base);
    const first = renderPlan(specs, 'b1', undefined);
    assert.equal(first.render.length, specs.length);
    assert.equal(first.render404, true);
    assert.ok(first.shards.every((s) => s.changed));
    assert.deepEqual(
      first.shards.map((s) => s.name),
      ['', 'fc', 'oss'],
    );
    const again = renderPlan(await specsOf(base), 'b1', stateOf(first, 'b1'));
    assert.deepEqual(again.render, []);
    assert.equal(again.render404, false);
    assert.ok(again.shards.every((s) => !s.changed));
    assert.equal(again.samePages, true);
  });

  it("re-renders only the edited page when a body changes, and re-indexes only its component's shard", async () => {
    const first = renderPlan(await specsOf(base), 'b1', undefined);
    const edited = base.map((p) => (p.slug === 'fc/命令/删除' ? { ...p, body: 'New body.' } : p));
    const plan = renderPlan(await specsOf(edited), 'b1', stateOf(first, 'b1'));
    assert.deepEqual(rendered(plan), ['fc/命令/删除']);
    assert.deepEqual(
      plan.shards.filter((s) => s.changed).map((s) => s.name),
      ['fc'],
    );
    assert.equal(plan.samePages, true);
  });

  it('re-renders every page of the component (same language) when a title changes: their sidebars show it', async () => {
    const first = renderPlan(await specsOf(base), 'b1', undefined);
    const renamed = base.map((p) => (p.slug === 'fc/quick-start' ? { ...p, title: 'Getting started' } : p));
    const plan = renderPlan(await specsOf(renamed), 'b1', stateOf(first, 'b1'));
    assert.deepEqual(rendered(plan), ['fc', 'fc/quick-start', 'fc/命令/删除', 'fc/命令/部署']);
  });

  it('re-renders pages whose previous/next link changes when the order changes', async () => {
    const first = renderPlan(await specsOf(base), 'b1', undefined);
    const moved = base.map((p) => (p.slug === 'fc/命令/删除' ? { ...p, order: 0 } : p));
    assert.ok(rendered(renderPlan(await specsOf(moved), 'b1', stateOf(first, 'b1'))).includes('fc/quick-start'));
  });

  it('re-renders every page with a sidebar when a component is added (the switcher lists it), and notices the new pages', async () => {
    const first = renderPlan(await specsOf(base), 'b1', undefined);
    const more = [...sources, { id: 'ros', title: 'ROS', paths: ['.'], localPath: '/ros' }];
    const plan = renderPlan(await specsOf([...base, page('ros/stack', 'Stack')], more), 'b1', stateOf(first, 'b1'));
    assert.equal(plan.samePages, false);
    for (const slug of ['', 'fc', 'oss/upload', 'ros/stack'])
      assert.ok(rendered(plan).includes(slug), `${slug || 'home (it lists the components)'} is rendered`);
  });

  it('renders shard after shard, in the order each search index takes its pages', async () => {
    // The manifest lists oss/upload between fc's pages (en/fc/quick-start comes last): rendered in that
    // order, fc's index would stay open while oss's pages are rendered.
    const specs = await specsOf(base);
    const plan = renderPlan(specs, 'b1', undefined);
    const order = specs.map((s) => s.entry.shard ?? '');
    assert.notDeepEqual(order, [...order].sort(), 'the manifest interleaves shards');
    assert.deepEqual(
      plan.render.map((s) => s.outFile),
      plan.shards.flatMap((s) => s.files),
    );
  });

  it('re-renders everything when the bundle changes', async () => {
    const specs = await specsOf(base);
    const plan = renderPlan(specs, 'b2', stateOf(renderPlan(specs, 'b1', undefined), 'b1'));
    assert.equal(plan.render.length, specs.length);
    assert.equal(plan.render404, true);
  });
});
