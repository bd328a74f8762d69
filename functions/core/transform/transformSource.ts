import { posix } from 'node:path';
import { pageSlug } from '../pageSlug.ts';
import type { Diagnostic, FetchedSource, Page, SourceFile } from '../types.ts';
import { processor } from './createProcessor.ts';
import type { DocsData, TransformData } from './transformData.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** readme first, then index, then any other file; ties by path (code-point order). */
function rank(path: string): number {
  const base = posix.basename(path).toLowerCase();
  return /^readme\.(md|markdown)$/.test(base) ? 0 : /^index\.(md|markdown)$/.test(base) ? 1 : 2;
}
const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Text of a file. Non-UTF-8 bytes are decoded with U+FFFD replacement (the page is still produced so
 * links to it work) and reported as 'encoding'. A UTF-8 byte order mark is dropped.
 */
function decode(file: SourceFile, sourceId: string, diagnostics: Diagnostic[]): string {
  try {
    return strictUtf8.decode(file.content);
  } catch {
    diagnostics.push({
      source: sourceId, file: file.path, kind: 'encoding',
      message: 'The file is not valid UTF-8; invalid bytes were replaced by U+FFFD (�). Save the file as UTF-8.',
    });
    return lenientUtf8.decode(file.content);
  }
}

/**
 * Turn one fetched source into site pages: each markdown file under the source's docs paths becomes a
 * Page at `pageSlug(...)`, with front matter fields, rewritten links and sanitised HTML (see
 * createProcessor.ts). Content problems are returned as diagnostics, never thrown.
 *
 * When several files map to one slug (`a.md` and `a/readme.md`, `Foo.md` and `foo.md`), one is kept:
 * a readme, else an index, else the first by path; the others are reported as 'duplicate-page'.
 * Pages come back sorted by slug; diagnostics in file order.
 */
export function transformSource(fetched: FetchedSource): { pages: Page[]; diagnostics: Diagnostic[] } {
  const { source } = fetched;
  const diagnostics: Diagnostic[] = [];
  const slugs = new Map<string, string>();
  const files = [...fetched.files].sort((a, b) => byPath(a.path, b.path));
  for (const file of files) {
    const slug = pageSlug(source.id, source.paths, file.path);
    if (slug === undefined) {
      diagnostics.push({ source: source.id, file: file.path, kind: 'other', message: `Skipped: not a markdown file under the docs paths (${source.paths.join(', ')}).` });
    } else {
      slugs.set(file.path, slug);
    }
  }

  const chosen = new Map<string, SourceFile>();
  for (const file of [...files].sort((a, b) => rank(a.path) - rank(b.path) || byPath(a.path, b.path))) {
    const slug = slugs.get(file.path);
    if (slug !== undefined && !chosen.has(slug)) chosen.set(slug, file);
  }

  const pages: Page[] = [];
  for (const file of files) {
    const slug = slugs.get(file.path);
    if (slug === undefined) continue;
    const winner = chosen.get(slug);
    if (winner !== file) {
      diagnostics.push({
        source: source.id, file: file.path, kind: 'duplicate-page',
        message: `Skipped: ${file.path} and ${winner?.path} both become the page /${slug}/; ${winner?.path} was kept. Rename or remove one of them.`,
      });
      continue;
    }
    const text = decode(file, source.id, diagnostics);
    const docs: DocsData = { source, file: file.path, paths: source.paths, slugs };
    const data: TransformData = { docs, diagnostics: [], page: {} };
    let body: string;
    try {
      body = String(processor.processSync({ value: text, path: file.path, data }));
    } catch (error) {
      // Not expected for any input; kept so one odd file cannot stop a whole build.
      diagnostics.push({ source: source.id, file: file.path, kind: 'other', message: `Could not transform this file (${error instanceof Error ? error.message : String(error)}); it was skipped. Please report this as a docs-sync bug.` });
      continue;
    }
    diagnostics.push(...data.diagnostics);
    const { title, description, order, category } = data.page;
    const page: Page = { source: source.id, slug, file: file.path, title: title ?? slug, body };
    if (description !== undefined) page.description = description;
    if (order !== undefined) page.order = order;
    if (category !== undefined) page.category = category;
    pages.push(page);
  }
  pages.sort((a, b) => byPath(a.slug, b.slug));
  return { pages, diagnostics };
}
