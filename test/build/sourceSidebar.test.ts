import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sourceSidebar } from '../../functions/core/build/sourceSidebar.ts';
import { pages } from '../support/writeContentPages.ts';

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
