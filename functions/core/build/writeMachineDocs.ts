import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { slugToUrl } from '../pageSlug.ts';
import { mapOutsideFences } from './mapOutsideFences.ts';
import { oneLine } from './markdownFile.ts';
import type { PageSpec } from './pageSpecs.ts';
import type { SiteManifest } from './siteManifest.ts';
import { inOldVersion, isOldVersion } from './versionLinks.ts';

interface PageDoc {
  /** The content file's digest and the site URL: all the page's markdown and summary depend on. */
  key: string;
  markdown: string;
  summary?: string;
}

/**
 * Kept by the builder process between builds, so a one-page edit does not read every page twice (at
 * 10,000 pages that was 1.5 s of it): each page's markdown by output file (`memo`, valid while its
 * key holds), and what each path held when this process wrote or last read it (`known`): the file's
 * identity (inode, size, mtime) and its text. Files are never written in place (buildState.ts), so
 * a file with the same identity still holds that text; any other file is read and compared.
 */
let memo = new Map<string, PageDoc>();
const known = new Map<string, { id: string; text: string }>();

function identity(file: string): string | undefined {
  const st = statSync(file, { throwIfNoEntry: false });
  return st && `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
}

/**
 * The site for AI tools and scripts, as https://llmstxt.org proposes: `/llms.txt` (the site's title
 * and summary, then each component with its pages: a link to the page's markdown and a one-line
 * description), `/llms-full.txt` (every page's markdown, one after another under a header naming its
 * URL) and each page's own markdown at `<page URL>index.md` (the transformed markdown with its
 * title as H1, site links made absolute). Pages come from the content folder writeContent wrote.
 * A page's `index.md` taken from the last build (hard-linked) is replaced, never written through,
 * and only when its text changed; returns the paths written, for the builder's mirror.
 */
export function writeMachineDocs(outDir: string, contentDir: string, manifest: SiteManifest, specs: readonly PageSpec[]): string[] {
  const site = manifest.config.url?.replace(/\/+$/, '') ?? '';
  const pages = specs.filter((s) => s.entry.source !== undefined);
  const written: string[] = [];
  const paths = new Set<string>();
  const write = (path: string, text: string): void => {
    paths.add(path);
    const file = join(outDir, path);
    const id = identity(file);
    if (id !== undefined) {
      if (known.get(path)?.id === id && known.get(path)?.text === text) return;
      if (readFileSync(file, 'utf8') === text) return void known.set(path, { id, text });
      rmSync(file); // a hard link shared with the last build and the releases: replace it, never write through
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    const made = identity(file);
    if (made !== undefined) known.set(path, { id: made, text });
    written.push(path);
  };

  const docs = new Map<PageSpec, PageDoc>();
  for (const spec of pages) {
    const key = `${spec.entry.digest}\n${site}`;
    let doc = memo.get(spec.outFile);
    if (doc?.key !== key) {
      const body = stripFrontMatter(readFileSync(join(contentDir, spec.entry.file), 'utf8'));
      // Front matter is the author's: a title or description of another YAML type is not text to print.
      const { title, description } = spec.entry as { title: unknown; description?: unknown };
      const markdown = `# ${oneLine(typeof title === 'string' ? title : spec.slug)}\n\n${absoluteLinks(body, site).trim()}\n`;
      const summary = typeof description === 'string' && description.trim() ? oneLine(description) : firstSentence(body);
      doc = { key, markdown, ...(summary ? { summary } : {}) };
    }
    docs.set(spec, doc);
    write(join(dirname(spec.outFile), 'index.md'), doc.markdown);
  }
  memo = new Map([...docs].map(([spec, doc]) => [spec.outFile, doc]));

  const mdUrl = (spec: PageSpec): string => `${site}${slugToUrl(spec.slug)}index.md`;
  const lines = [`# ${oneLine(manifest.config.title)}`, ''];
  if (manifest.config.description) lines.push(`> ${oneLine(manifest.config.description)}`, '');
  lines.push(`Each page's markdown is at its URL followed by \`index.md\`; all of them in one file: ${site}/llms-full.txt`, '');
  // llms.txt and llms-full.txt describe the latest version; old versions' pages keep their index.md.
  for (const source of manifest.sources) {
    if (isOldVersion(source)) continue;
    const own = pages.filter((s) => s.entry.source === source.id);
    if (!own.length) continue;
    lines.push(`## ${oneLine(source.title)}`, '');
    if (source.description) lines.push(oneLine(source.description), '');
    for (const spec of own) {
      const summary = docs.get(spec)?.summary;
      lines.push(`- [${linkText(typeof spec.entry.title === 'string' ? spec.entry.title : spec.slug)}](${mdUrl(spec)})${summary ? `: ${summary}` : ''}`);
    }
    lines.push('');
  }
  write('llms.txt', `${lines.join('\n').trimEnd()}\n`);
  const full = pages.filter((s) => !inOldVersion(s)).map((spec) => `<!-- ${site}${slugToUrl(spec.slug)} -->\n\n${docs.get(spec)!.markdown}`);
  write('llms-full.txt', `${full.join('\n---\n\n')}`);
  for (const path of known.keys()) if (!paths.has(path)) known.delete(path);
  return written;
}

function stripFrontMatter(text: string): string {
  const m = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

const linkText = (title: string): string => oneLine(title).replace(/[[\]\\]/g, '\\$&');

/**
 * Site-relative link and image targets (`](/fc/x/)`, `href="/…"`, `src="/…"`) made absolute with the
 * site URL, outside fenced code blocks (the transform already turned `.md` links into site paths).
 */
export function absoluteLinks(markdown: string, site: string): string {
  if (!site) return markdown;
  return mapOutsideFences(markdown, (line) => line.replace(/\]\(\/(?!\/)/g, `](${site}/`).replace(/\b(href|src)="\/(?!\/)/g, `$1="${site}/`));
}

/** A page's first sentence of prose (no headings, code, tables, HTML or lists), when it has no description. */
function firstSentence(body: string): string | undefined {
  let fence = false;
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (/^(`{3,}|~{3,})/.test(line)) fence = !fence;
    if (fence || !line || /^(#|\||<|!\[|[-*+] |\d+[.)] |>|---|\[\^)/.test(line)) continue;
    const text = oneLine(
      line
        .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/[*_`]/g, ''),
    );
    if (!text) continue;
    const sentence = /^.+?[.!?。！？](?=\s|$)/u.exec(text)?.[0] ?? text;
    return sentence.length > 160 ? `${sentence.slice(0, 159)}…` : sentence;
  }
  return undefined;
}
