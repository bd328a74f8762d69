/** The pages and sources the writeContent, sourceSidebar and markdownFile tests share, and a reader for a written markdown file. */
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { Page, SourceConfig } from '../../functions/core/types.ts';

/** Split a written markdown file into its front matter (parsed) and body. */
export function split(text: string): { front: Record<string, unknown>; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n\n?([\s\S]*)$/.exec(text);
  assert.ok(m, `no front matter in:\n${text}`);
  return { front: parseYaml(m[1]!) as Record<string, unknown>, body: m[2]! };
}

export const sources: SourceConfig[] = [
  { id: 'fc', title: '函数计算 FC', description: 'Deploy: "functions" & more', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] },
  { id: 'oss', title: 'OSS [beta]', repo: { owner: 'devsapp', name: 'oss' }, paths: ['docs'] },
  { id: 'empty', title: 'Empty', paths: ['.'], localPath: '/nowhere' },
];
export const page = (p: Partial<Page> & Pick<Page, 'source' | 'slug' | 'title'>): Page => ({ file: `${p.slug}.md`, body: `Body of ${p.slug}`, ...p });
export const pages: Page[] = [
  page({ source: 'fc', slug: 'fc', title: 'FC 组件', body: '# Intro\n\nHello<br>world' }),
  page({ source: 'fc', slug: 'fc/quick-start', title: 'Quick start: 5 "minutes"', order: 1, description: "It's: fast\nreally" }),
  page({ source: 'fc', slug: 'fc/命令/部署', title: '部署', order: 2 }),
  page({ source: 'fc', slug: 'fc/命令', title: '命令 #commands' }),
  page({ source: 'fc', slug: 'fc/命令/删除', title: '删除' }),
  page({ source: 'oss', slug: 'oss/upload', title: 'yes' }),
  page({ source: 'oss', slug: 'oss/faq', title: '2024-01-01', order: 3 }),
];
