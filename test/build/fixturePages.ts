/**
 * The small fixture site the build tests render: 3 components (two repositories and a local folder),
 * Chinese slugs, a <br>, a table and a code fence, one page with a quoted description.
 */
import { pageSlug } from '../../functions/core/pageSlug.ts';
import type { Page, SourceConfig } from '../../functions/core/types.ts';

export const sources: SourceConfig[] = [
  { id: 'fc', title: '函数计算 FC', description: 'Deploy functions: "fast"', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] },
  { id: 'oss', title: 'OSS', description: 'Object storage', repo: { owner: 'devsapp', name: 'oss' }, paths: ['docs'] },
  { id: 'guide', title: 'User guide', paths: ['.'], localPath: '/guide' },
];
const TABLE = '| 参数 | 说明 |\n|---|---|\n| region | 地域 |\n';
const FENCE = '```yaml\nedition: 3.0.0\nname: demo\n```\n';
const files: Array<[SourceConfig, string, string, string, number?]> = [
  [sources[0]!, 'docs/readme.md', 'FC 组件', 'The FC component.<br>Second line.'],
  [sources[0]!, 'docs/命令/部署.md', '部署: s deploy', `Deploy it.\n\n${TABLE}\n${FENCE}`, 1],
  [sources[0]!, 'docs/命令/删除.md', '删除', 'Remove it.', 2],
  [sources[0]!, 'docs/quick-start.md', 'Quick start', 'Start here.'],
  [sources[1]!, 'docs/upload.md', 'Upload files', 'Upload.'],
  [sources[1]!, 'docs/faq.md', 'FAQ', 'Questions.'],
  [sources[2]!, 'readme.md', 'About the guide', 'Guide home.'],
  [sources[2]!, 'install.md', 'Install', '`npm install`'],
];
/** The fixture's pages, in the order above (the first four are the FC component's). */
export const pages: Page[] = files.map(([source, file, title, body, order]) => {
  const page: Page = { source: source.id, slug: pageSlug(source.id, source.paths, file)!, file, title, body };
  if (order !== undefined) page.order = order;
  return page;
});
