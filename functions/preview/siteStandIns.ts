/**
 * A deployed docs-sync site read back from what every release publishes for machines
 * (core/build/writeMachineDocs.ts): `/llms.txt` lists each component (`## Title`) with links to its
 * pages' markdown (`<page URL>index.md`); `/llms-full.txt` holds every page's markdown under a
 * `<!-- <page URL> -->` header. Pure text in, stand-in sources out, so `--site` needs no server code
 * and works against a static bucket too. Ids come from the page URLs (`/<id>/…`, `/en/<id>/…`).
 */
import { createHash } from 'node:crypto';
import { mapOutsideFences } from '../core/build/mapOutsideFences.ts';
import { DEFAULT_SITE_LANGUAGES } from '../core/config/siteLanguages.ts';
import type { SourceConfig, SourceFile } from '../core/types.ts';

export interface SiteListing {
  /** The site URL the pages were published under (the site's PUBLIC_URL; '' when it had none). */
  base: string;
  sources: Array<{ id: string; title: string; description?: string; tails: string[] }>;
}

const LANGS = new Set(['en', 'zh']);
const ID = /^[a-z0-9][a-z0-9-]*$/;
const FULL = /in one file: (\S*)\/llms-full\.txt\s*$/m;

/** The path segments of a page URL's tail (`/en/fc/a%20b/` → `en`, `fc`, `a b`). */
function segments(tail: string): string[] {
  return tail
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** The page slug of a page URL's tail (`/en/fc/a%20b/` → `en/fc/a b`). */
export const slugOfTail = (tail: string): string => segments(tail).join('/');

/** The source id of a page URL's tail: its first segment after a language prefix. */
function idOf(tail: string): string | undefined {
  const parts = segments(tail);
  const id = LANGS.has(parts[0] ?? '') ? parts[1] : parts[0];
  return id !== undefined && ID.test(id) ? id : undefined;
}

/** llms.txt → components and their page URLs (tails under the published base); undefined when not docs-sync's. */
export function parseLlmsTxt(text: string): SiteListing | undefined {
  const base = FULL.exec(text)?.[1];
  if (base === undefined) return undefined;
  const sources: SiteListing['sources'] = [];
  let current: SiteListing['sources'][number] | undefined;
  let title: string | undefined;
  const pendingDescription = new Map<string, string>();
  for (const line of text.split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) {
      title = heading[1]!.trim();
      current = undefined;
      continue;
    }
    const link = /^- \[(?:[^\]\\]|\\.)*\]\((\S+)index\.md\)/.exec(line);
    if (title === undefined) continue;
    if (!link) {
      if (!current && line.trim() && !line.startsWith('- ')) pendingDescription.set(title, line.trim());
      continue;
    }
    if (!link[1]!.startsWith(`${base}/`)) continue;
    const tail = link[1]!.slice(base.length);
    const id = idOf(tail);
    if (id === undefined) continue;
    if (current?.id !== id) {
      current = sources.find((s) => s.id === id);
      if (!current) {
        const description = pendingDescription.get(title);
        current = { id, title, ...(description ? { description } : {}), tails: [] };
        sources.push(current);
      }
    }
    current.tails.push(tail);
  }
  return { base, sources };
}

/** llms-full.txt → each page's markdown by its tail (the pages `tails` lists; other headers are text). */
export function splitLlmsFull(text: string, base: string, tails: ReadonlySet<string>): Map<string, string> {
  const pages = new Map<string, string>();
  let tail: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (tail !== undefined)
      pages.set(
        tail,
        `${lines
          .join('\n')
          .replace(/\n+---\n*$/, '')
          .trim()}\n`,
      );
  };
  for (const line of text.split('\n')) {
    const header = /^<!-- (\S*) -->$/.exec(line)?.[1];
    if (header?.startsWith(`${base}/`) && tails.has(header.slice(base.length))) {
      flush();
      tail = header.slice(base.length);
      lines = [];
    } else lines.push(line);
  }
  flush();
  return pages;
}

/**
 * One published page as a source file at the same URL: `/fc/a/b/` → `a/b/index.md` (`/en/fc/a/` →
 * `en/a/index.md`), its H1 back in front matter, links to this site's pages made site-relative again
 * (so the preview resolves and checks them); images and files stay on the live site.
 */
export function standInFile(tail: string, markdown: string, base: string): SourceFile {
  const parts = segments(tail);
  const lang = LANGS.has(parts[0] ?? '') ? [parts.shift()!] : [];
  parts.shift();
  const h1 = /^# (.*)\n+/.exec(markdown);
  let body = h1 ? markdown.slice(h1[0].length) : markdown;
  if (base) {
    const b = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const page = new RegExp(`(\\]\\(|\\bhref=")${b}(/[^\\s)"#?]*/)(?=[\\s)"#?])`, 'g');
    body = mapOutsideFences(body, (line) => line.replace(page, '$1$2'));
  }
  const front = h1 ? `---\ntitle: ${JSON.stringify(h1[1]!.trim())}\n---\n\n` : '';
  return { path: [...lang, ...parts, 'index.md'].join('/'), content: Buffer.from(front + body) };
}

/** The stand-in source of a listed component: its pages at `.`, English or Chinese as the site has them. */
export function standInSource(entry: SiteListing['sources'][number]): SourceConfig {
  const zhPrefixed = entry.tails.some((t) => t.startsWith('/zh/'));
  return {
    id: entry.id,
    title: entry.title,
    ...(entry.description ? { description: entry.description } : {}),
    paths: ['.'],
    // Chinese under /zh/: the site has English at its root (the default is Chinese at /, English at /en/).
    ...(zhPrefixed ? { languages: { layout: 'folders', default: 'en', site: { ...DEFAULT_SITE_LANGUAGES, languages: ['en', 'zh-CN'] } } } : {}),
  };
}

/** A content digest standing for the commit of a stand-in. */
export const digestOf = (files: readonly SourceFile[]): string => {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.path).update('\0').update(f.content).update('\0');
  return hash.digest('hex').slice(0, 12);
};
