/**
 * Three real builds of the fixture site for the OSS deploy tests: A (the fixture), B (one page's
 * text edited), C (B without the OSS FAQ page). Built once per test file, in a temp folder.
 */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite } from '../../functions/core/build/buildSite.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import type { Page } from '../../functions/core/types.ts';
import { pages, sources } from '../build/fixturePages.ts';

export const EDITED_TEXT = 'Start here, now with a second step.';
export const REMOVED_SLUG = 'oss/faq';

export interface OssSites {
  root: string;
  A: string;
  B: string;
  C: string;
  /** A copy of a built site (deploy steps may consume theirs). */
  copy(site: string): Promise<string>;
}

export async function buildOssSites(): Promise<OssSites> {
  const root = await mkdtemp(join(tmpdir(), 'docs-sync-oss-sites-'));
  const edited: Page[] = pages.map((p) => (p.slug === 'fc/quick-start' ? { ...p, body: EDITED_TEXT } : p));
  const variants: Record<'A' | 'B' | 'C', Page[]> = { A: pages, B: edited, C: edited.filter((p) => p.slug !== REMOVED_SLUG) };
  const out: Record<string, string> = {};
  for (const [name, list] of Object.entries(variants)) {
    const content = join(root, `content-${name}`);
    await writeContent(content, list, sources, { title: 'Fixture Docs', lang: 'zh-CN', url: 'https://docs.example.com' });
    out[name] = join(root, `site-${name}`);
    await buildSite({ contentDir: content, outDir: out[name]!, cacheDir: join(root, 'cache') });
  }
  let n = 0;
  return {
    root,
    A: out.A!,
    B: out.B!,
    C: out.C!,
    copy: async (site) => {
      const to = join(root, `copy-${n++}`);
      await cp(site, to, { recursive: true });
      return to;
    },
  };
}
