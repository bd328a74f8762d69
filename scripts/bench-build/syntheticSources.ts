/**
 * Synthetic but realistic docs for the build benchmark: `pages` markdown files spread over 20 component
 * repos (like the Serverless Devs docs), each in nested folders, with front matter, headings, Chinese and
 * English text, a table, two code fences, and relative links to sibling pages and to other folders.
 * With `versions` > 1 the pages are split over that many versions of the 20 components, as a source's
 * `versions:` publishes them (issue 11): each component declares `versions:` (tags `v*`) and is expanded
 * by the real expandVersions with tags v1… as GitHub would list them, so the latest is `component-NN`
 * and older ones `component-NN/v<k>` (own URLs, sidebar and search shard, left out of the default
 * search, with switcher and banner), whose text is similar but not identical to the latest's (the
 * version in code and a paragraph on some pages).
 * Deterministic: the same arguments always give the same bytes.
 */
import type { FetchedSource, SourceConfig, SourceFile } from '../../functions/core/types.ts';
import { versionsKey } from '../../functions/core/versions/discoverVersions.ts';
import { expandVersions } from '../../functions/core/versions/expandVersions.ts';
import type { VersionTable } from '../../functions/core/versions/versionStore.ts';

export const COMPONENTS = 20;
const FOLDERS = ['command', 'yaml', 'guide', 'faq', 'reference'];
const encoder = new TextEncoder();

const ZH = [
  'Serverless Devs 是一个开源开放的 Serverless 开发者平台，致力于为开发者提供强大的工具链体系。',
  '通过该平台，开发者可以一键体验多云 Serverless 产品，极速部署 Serverless 项目。',
  '在使用该命令之前，需要先完成密钥配置，并确认当前目录下存在 s.yaml 文件。',
  '函数计算会根据请求量自动扩缩容，开发者只需要关注业务逻辑本身，无需管理服务器。',
  '如果部署失败，请检查地域、服务名称以及函数名称是否正确，并查看日志获取详细信息。',
  '该参数为可选参数，默认值由组件根据当前环境自动推断，也可以在配置文件中显式指定。',
];
const EN = [
  'This command deploys the resources described in s.yaml to the cloud, creating or updating them as needed.',
  'Use the --use-local flag to skip the interactive confirmation and keep the local configuration.',
  'Every parameter can also be given in the YAML file; command line flags take precedence.',
];

function pick<T>(list: readonly T[], n: number): T {
  return list[((n % list.length) + list.length) % list.length]!;
}

/** Where page `i` of a component lives: readme for 0, else `<folder>/page-<i>.md`. */
function pathOf(i: number): string {
  return i === 0 ? 'docs/readme.md' : `docs/${pick(FOLDERS, i)}/page-${i}.md`;
}

function pageText(c: number, i: number, count: number, version = ''): string {
  const title = i === 0 ? `组件 ${c} 简介` : `${pick(['部署', '配置', '调用', '日志', '指标'], i + c)} ${pick(['命令', '参数', '说明', '示例'], i)} ${i}`;
  const sibling = pathOf((i + 1) % count || 1).replace(/^docs\//, '');
  const other = pathOf((i + 7) % count || 2).replace(/^docs\//, '');
  const here = pathOf(i).replace(/^docs\//, '');
  const up = here.includes('/') ? '../' : '';
  const para = (k: number): string => `${pick(ZH, i + k)}${pick(ZH, i + c + k + 1)} ${pick(EN, i + k)}`;
  return [
    '---',
    `title: "${title}"`,
    `description: "${pick(ZH, i + c)}"`,
    `position: ${i}`,
    '---',
    '',
    `# ${title}`,
    '',
    para(0),
    '',
    `## 命令解析 ${i}`,
    '',
    para(1),
    '',
    `See [the next page](${up}${sibling}) and [another topic](${up}${other}) for details.`,
    '',
    '| 参数全称 | 参数缩写 | 是否必填 | 参数含义 |',
    '|---|---|---|---|',
    '| region | - | 选填 | 地域，例如 cn-hangzhou |',
    '| service-name | - | 选填 | 服务名 |',
    '| function-name | - | 选填 | 函数名 |',
    `| use-local | - | 选填 | 使用本地配置 ${i} |`,
    '',
    '### 示例',
    '',
    para(2),
    '',
    '```yaml',
    'edition: 3.0.0',
    `name: app-${c}-${i}`,
    'resources:',
    '  hello:',
    '    component: fc3',
    '    props:',
    '      region: cn-hangzhou',
    `      functionName: demo-${i}`,
    '      runtime: nodejs18',
    '      handler: index.handler',
    '      memorySize: 128',
    '```',
    '',
    '## 注意事项',
    '',
    para(3),
    '',
    ...(version && (i + c) % 3 === 0 ? [`> 该说明适用于 ${version} 版本。This applies to ${version}.`, ''] : []),
    '```bash',
    `s deploy --use-local -y  # component ${c}, page ${i}${version ? `, ${version}` : ''}`,
    's info --output json | jq .',
    '```',
    '',
    `- ${pick(ZH, i)}`,
    `- ${pick(ZH, i + 2)}`,
    `- ${pick(EN, i + 1)}`,
    '',
    para(4),
    '',
  ].join('\n');
}

/**
 * `pages` pages over 20 components (component c gets pages/20, the first ones one more); with `versions`
 * > 1, over that many versions of them: each component's sources file entry declares `versions:` (tags
 * `v*`, newest `versions - 1`) and expandVersions turns it into the latest (`component-NN`) and the
 * old versions `component-NN/v<k>`, newest first, as a build does with the tags GitHub lists.
 */
export function syntheticSources(pages: number, versions = 1): FetchedSource[] {
  const old = Array.from({ length: versions - 1 }, (_, k) => `v${versions - 1 - k}`);
  const configured: SourceConfig[] = [];
  const table: VersionTable = {};
  for (let c = 0; c < COMPONENTS; c++) {
    const source: SourceConfig = {
      id: `component-${String(c).padStart(2, '0')}`,
      title: `组件 ${c} Component`,
      description: `Synthetic component ${c}`,
      repo: { owner: 'devsapp', name: `component-${c}` },
      paths: ['docs'],
    };
    if (old.length) {
      source.versions = { latest: 'latest', branches: [], tags: ['v*'], newest: old.length };
      const refs = old.map((name) => ({ name, kind: 'tag' as const, sha: `synthetic-${c}-${name}` }));
      table[source.id] = { key: versionsKey(source), checkedAt: '2026-01-01T00:00:00.000Z', refs };
    }
    configured.push(source);
  }
  const out: FetchedSource[] = [];
  const expanded = expandVersions(configured, table);
  for (let v = 0; v < versions; v++) {
    const version = v === 0 ? '' : old[v - 1]!;
    const share = Math.floor(pages / versions) + (v < pages % versions ? 1 : 0);
    for (let c = 0; c < COMPONENTS; c++) {
      const count = Math.floor(share / COMPONENTS) + (c < share % COMPONENTS ? 1 : 0);
      if (count === 0) continue;
      const base = configured[c]!.id;
      const source = expanded.find((s) => (s.version ? s.version.base === base && (version ? s.version.name === version : s.version.latest) : s.id === base))!;
      const files: SourceFile[] = [];
      for (let i = 0; i < count; i++) files.push({ path: pathOf(i), content: encoder.encode(pageText(c, i, count, version)) });
      out.push({ source, sha: `synthetic-${c}${version ? `-${version}` : ''}`, ref: version || 'main', files });
    }
  }
  return out;
}

/** The same file with its body changed (a new paragraph at the end), for the one-page-edit measurement. */
export function editedFile(file: SourceFile, stamp: string): SourceFile {
  const text = new TextDecoder().decode(file.content);
  return { ...file, content: encoder.encode(`${text}\n编辑于 ${stamp}：新增一段说明文字。Edited at ${stamp}.\n`) };
}
