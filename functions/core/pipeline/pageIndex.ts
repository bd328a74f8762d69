import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '../types.ts';

/** slug → digest of what the page shows, for the last deployed release. */
export type PageIndex = Record<string, string>;

function digest(page: Page): string {
  return createHash('sha256')
    .update(JSON.stringify([page.title, page.description ?? '', page.order ?? null, page.body]))
    .digest('hex')
    .slice(0, 16);
}

export async function loadPageIndex(dataDir: string): Promise<PageIndex | undefined> {
  try {
    return JSON.parse(await readFile(join(dataDir, 'pages.json'), 'utf8')) as PageIndex;
  } catch {
    return undefined;
  }
}

export async function savePageIndex(dataDir: string, pages: Page[]): Promise<void> {
  const index: PageIndex = {};
  for (const p of pages) index[p.slug] = digest(p);
  const file = join(dataDir, 'pages.json');
  await writeFile(`${file}.tmp`, JSON.stringify(index));
  await rename(`${file}.tmp`, file);
}

/** Pages added, removed and changed since the previous release (everything is "added" on the first). */
export function diffPages(previous: PageIndex | undefined, pages: Page[]): { total: number; added: number; removed: number; changed: number } {
  const before = previous ?? {};
  let added = 0;
  let changed = 0;
  const now = new Set<string>();
  for (const p of pages) {
    now.add(p.slug);
    const old = before[p.slug];
    if (old === undefined) added++;
    else if (old !== digest(p)) changed++;
  }
  const removed = Object.keys(before).filter((s) => !now.has(s)).length;
  return { total: pages.length, added, removed, changed };
}
