/**
 * Fill a fake GitHub with realistic documentation repositories, and read back what a correct fetch
 * must return (from git itself). Synthetic by default (seeded, so runs are comparable); or the real
 * Serverless Devs corpus (`../shared/corpus`) when given.
 *
 *   const sources = await seedSynthetic(gh, { repos: 12, files: 500 });
 *   const truth = await expectedDocs(gh, sources[0]!);   // path → { content, lastCommit }
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDocFile, MAX_DOC_BYTES } from '../../functions/core/fetch/docFiles.ts';
import type { SourceConfig } from '../../functions/core/types.ts';
import { seededRandom, type FakeGitHub } from './fakeGitHub.ts';

const ZH = [
  '函数计算',
  '部署',
  '配置',
  '组件',
  '触发器',
  '日志',
  '环境变量',
  '权限',
  '网络',
  '版本',
  '别名',
  '实例',
  '镜像',
  '冷启动',
  '并发',
  '超时',
  '内存',
  '地域',
  '服务',
  '应用',
];
const EN = [
  'function',
  'deploy',
  'config',
  'component',
  'trigger',
  'logs',
  'env',
  'role',
  'vpc',
  'version',
  'alias',
  'instance',
  'image',
  'timeout',
  'memory',
  'region',
  'service',
  'app',
];

/** One markdown document of about `bytes` bytes: front matter, headings, prose, a table, code. */
export function markdown(rand: () => number, title: string, bytes: number, lang: 'zh' | 'en'): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const words = lang === 'zh' ? ZH : EN;
  const sentence = (): string => {
    const n = 6 + Math.floor(rand() * 10);
    const ws = Array.from({ length: n }, () => pick(words));
    return lang === 'zh' ? `${ws.join('')}。` : `${ws.join(' ')}.`;
  };
  const out = [`---\ntitle: ${title}\ndescription: ${sentence()}\nposition: ${1 + Math.floor(rand() * 20)}\n---\n`, `# ${title}\n`];
  let size = Buffer.byteLength(out.join('\n'));
  for (let section = 1; size < bytes; section++) {
    const block = [`## ${pick(words)} ${section}\n`, `${Array.from({ length: 2 + Math.floor(rand() * 4) }, sentence).join(' ')}\n`];
    if (section % 3 === 0)
      block.push(`| ${pick(words)} | ${pick(words)} | ${pick(words)} |\n|---|---|---|\n| \`${pick(EN)}\` | ${sentence()} | ${Math.floor(rand() * 1000)} |\n`);
    if (section % 4 === 0) block.push(`\`\`\`yaml\n${pick(EN)}:\n  ${pick(EN)}: ${pick(EN)}-${section}\n  ${pick(EN)}: ${Math.floor(rand() * 512)}\n\`\`\`\n`);
    if (section % 5 === 0) block.push(`See [${pick(words)}](./${pick(EN)}.md) and <br> [${pick(EN)}](../readme.md).\n`);
    const text = block.join('\n');
    out.push(text);
    size += Buffer.byteLength(text) + 1;
  }
  return out.join('\n');
}

/** A document size like the corpus's: median ~4 KB, mean ~6.6 KB, a few of 40–75 KB. */
const docSize = (rand: () => number): number => (rand() < 0.03 ? 40_000 + rand() * 35_000 : Math.round(800 + Math.exp(7.6 + rand() * 1.6)));

/** The corpus's repository sizes (files per repo), scaled to `total`. */
const SHAPE = [145, 115, 67, 63, 62, 25, 20, 9, 4, 3, 2, 1];

export interface SeedOptions {
  repos?: number;
  files?: number;
  seed?: number;
  /** Commits after the first, each touching a few files (so last-updated dates differ). */
  commits?: number;
}

/** `repos` repositories holding `files` markdown files in all, plus code, under a realistic folder layout. */
export async function seedSynthetic(gh: FakeGitHub, { repos = 12, files = 500, seed = 1, commits = 3 }: SeedOptions = {}): Promise<SourceConfig[]> {
  const rand = seededRandom(seed);
  const shape = Array.from({ length: repos }, (_, i) => SHAPE[i % SHAPE.length]!);
  const sum = shape.reduce((a, b) => a + b, 0);
  const counts = shape.map((n) => Math.max(1, Math.round((n * files) / sum)));
  counts[0]! += files - counts.reduce((a, b) => a + b, 0);
  const sources: SourceConfig[] = [];
  for (const [r, count] of counts.entries()) {
    const name = `component-${String(r + 1).padStart(2, '0')}`;
    const small = count <= 9;
    const root = small ? '' : 'docs/';
    const sections = Array.from({ length: Math.max(1, Math.round(count / 25)) }, (_, i) => `${EN[i % EN.length]}${i >= EN.length ? i : ''}`);
    const tree: Record<string, string> = {
      'package.json': `{ "name": "${name}" }\n`,
      'src/index.ts': 'export {};\n',
      '.github/workflows/ci.yml': 'on: push\n',
    };
    const docs: string[] = [];
    for (let i = 0; i < count; i++) {
      const lang = rand() < 0.6 ? 'zh' : 'en';
      const section = pick(rand, sections);
      const nested = !small && rand() < 0.15 ? `${section}/${pick(rand, ['advanced', 'reference', 'faq'])}/` : small ? '' : `${section}/`;
      const path = i === 0 ? `${root}readme.md` : `${root}${small ? '' : `${lang}/`}${nested}${pick(rand, EN)}-${i}.md`;
      tree[path] = markdown(rand, `${name} ${i}`, docSize(rand), lang);
      docs.push(path);
    }
    const branch = r % 3 === 0 ? 'master' : 'main';
    const date = (daysAgo: number): string => new Date(Date.UTC(2025, 0, 1) - daysAgo * 86_400_000).toISOString();
    await gh.createRepo('devsapp', name, {}, { defaultBranch: branch });
    await gh.commit('devsapp', name, { files: tree, message: 'Initial docs', author: { name: 'Docs Writer', email: 'writer@example.com', date: date(400) } });
    for (let c = 0; c < commits; c++) {
      const touched = docs.filter(() => rand() < 0.15);
      if (!touched.length) continue;
      const update = Object.fromEntries(touched.map((p) => [p, markdown(rand, `${name} ${p}`, docSize(rand), 'zh')]));
      await gh.commit('devsapp', name, {
        files: update,
        message: `Docs update ${c + 1}`,
        author: { name: `作者${c}`, email: `a${c}@example.com`, date: date(300 - c * 90) },
      });
    }
    sources.push({ id: name, title: name, repo: { owner: 'devsapp', name }, paths: small ? ['.'] : ['docs'], ...(r % 4 === 1 ? { ref: branch } : {}) });
  }
  return sources;
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** The real corpus (`<dir>/manifest.json` + files), one repository per entry, read from `.` (the repo holds only its docs). */
export async function seedCorpus(gh: FakeGitHub, dir: string): Promise<SourceConfig[]> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Array<{ owner: string; repo: string; ref: string; files: string[] }>;
  const sources: SourceConfig[] = [];
  for (const [i, m] of manifest.entries()) {
    const files: Record<string, Uint8Array> = { 'package.json': Buffer.from('{}\n') };
    for (const f of m.files) files[f] = await readFile(join(dir, `${m.owner}__${m.repo}`, f));
    const branch = /^(?:branch )?([\w.-]+)/.exec(m.ref)?.[1] ?? 'main';
    await gh.createRepo(m.owner, m.repo, {}, { defaultBranch: branch });
    await gh.commit(m.owner, m.repo, {
      files,
      message: `Import ${m.owner}/${m.repo}`,
      author: { name: 'Corpus', email: 'corpus@example.com', date: '2024-06-01T00:00:00Z' },
    });
    const id = `${m.owner}-${m.repo}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
    sources.push({ id, title: m.repo, repo: { owner: m.owner, name: m.repo }, paths: ['.'], ...(i % 4 === 1 ? { ref: branch } : {}) });
  }
  return sources;
}

/** What a correct fetch of `source` returns at its branch head, straight from git. */
export async function expectedDocs(
  gh: FakeGitHub,
  source: SourceConfig,
): Promise<{ sha: string; files: Map<string, { content: Buffer; lastCommit: { sha: string; date: string } }> }> {
  const repo = gh.repo(source.repo!.owner, source.repo!.name);
  const sha = (await repo.resolve(source.ref ?? repo.defaultBranch))!;
  const files = new Map<string, { content: Buffer; lastCommit: { sha: string; date: string } }>();
  for (const e of await repo.lsTree(sha, true)) {
    if (e.type !== 'blob' || e.mode === '120000' || (e.size ?? 0) > MAX_DOC_BYTES || !isDocFile(e.path, source.paths)) continue;
    const [c] = await repo.log(sha, { path: e.path, limit: 1 });
    files.set(e.path, { content: await repo.readBlob(e.sha), lastCommit: { sha: c!.sha, date: c!.committer.date } });
  }
  return { sha, files };
}
