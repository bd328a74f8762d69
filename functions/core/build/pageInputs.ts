import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseFrontmatter } from 'astro/markdown';
import type { PageSpec } from './pageSpecs.ts';
import { sanitizeBody } from './sanitizeBody.ts';
import { renderBodySafely } from './renderBodySafely.ts';
import type { RenderGuard } from './renderGuard.ts';

/** The project's markdown renderer (`config.markdown.processor.createRenderer(…)`), Starlight's plugins included. */
export interface MarkdownRenderer {
  render(
    content: string,
    options: { frontmatter: Record<string, unknown>; fileURL?: URL },
  ): Promise<{
    code: string;
    metadata: { headings: Array<{ depth: number; slug: string; text: string }> };
  }>;
}

/** What src/renderedPages.ts reads for one page. */
export interface PageFile {
  bodyKey: string;
  frontmatter: PageSpec['frontmatter'];
  headings: Array<{ depth: number; slug: string; text: string }>;
  /** Id of its sidebar: `<renderDir>/nav/<id>.json`, shared by the pages of a component. */
  nav?: string;
  pagination: PageSpec['pagination'];
  /** The locales the page exists in and their URLs: what the language select offers. */
  languages: PageSpec['languages'];
  searchFilter?: string;
  /** The version switcher (sources file `versions:`). */
  versions?: PageSpec['versions'];
  html: string;
  /** Why the page shows its text instead of its rendered body (renderBodySafely): its diagnostic. */
  problem?: string;
}

/** `<renderDir>/p/<sha256 of the slug>.json`: one flat folder, no folder per page to create. */
export const pageFileName = (slug: string): string => `${createHash('sha256').update(slug).digest('hex').slice(0, 32)}.json`;

async function readPageFile(file: string): Promise<PageFile | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as PageFile;
  } catch {
    return undefined;
  }
}

/** Delete page files of removed pages, and sidebar files no page uses any more (a page rendered later gets a current one). */
export async function pruneRenderDir(renderDir: string, specs: readonly PageSpec[]): Promise<void> {
  const used = new Set(specs.flatMap((s) => (s.nav ? [`nav/${s.nav.id}.json`] : [])).concat(specs.map((s) => `p/${pageFileName(s.slug)}`)));
  for (const folder of ['nav', 'p']) {
    for (const name of await readdir(join(renderDir, folder)).catch(() => [] as string[])) {
      if (!used.has(`${folder}/${name}`)) await rm(join(renderDir, folder, name), { force: true });
    }
  }
}

/** `<renderDir>/pages.json`: the slug of every page, which the site's `getStaticPaths()` returns. */
export async function writePageList(renderDir: string, specs: readonly PageSpec[]): Promise<void> {
  await mkdir(renderDir, { recursive: true });
  await writeFile(join(renderDir, '.pages.json'), JSON.stringify(specs.map((s) => s.slug)));
  await rename(join(renderDir, '.pages.json'), join(renderDir, 'pages.json'));
}

/**
 * Write the page file of each page about to be rendered: its spec (front matter, sidebar) and its body
 * rendered by the project's markdown renderer, with the file URL of a Starlight docs page so Starlight's
 * plugins apply and pick the page's language, then sanitised (sanitizeBody.ts). A body whose key is
 * unchanged is taken from the previous page file. A body the renderer refuses is shown as text, and
 * `problems` gets why (slug → message). Returns how many bodies were rendered. Throws naming the file
 * when one cannot be read.
 */
export async function writePageInputs(options: {
  specs: readonly PageSpec[];
  bodyKeys: ReadonlyMap<string, string>;
  contentDir: string;
  renderDir: string;
  renderer: MarkdownRenderer;
  /** `<srcDir>/content/docs/` of the site. */
  docsDir: URL;
  /** Filled with the pages shown as text: slug → why. */
  problems?: Map<string, string>;
  /** Notes each render, and skips bodies that took a builder down before. */
  guard?: RenderGuard;
}): Promise<number> {
  let rendered = 0;
  const navs = new Set<string>();
  await mkdir(join(options.renderDir, 'nav'), { recursive: true });
  await mkdir(join(options.renderDir, 'p'), { recursive: true });
  const existing = new Set(await readdir(join(options.renderDir, 'p')));
  for (const spec of options.specs) {
    if (spec.nav && !navs.has(spec.nav.id)) {
      // Named by its content: written once, never changed, so the site may cache it.
      const file = join(options.renderDir, 'nav', `${spec.nav.id}.json`);
      await writeFile(`${file}.tmp`, JSON.stringify(spec.nav.entries));
      await rename(`${file}.tmp`, file);
      navs.add(spec.nav.id);
    }
    const name = pageFileName(spec.slug);
    const file = join(options.renderDir, 'p', name);
    const bodyKey = options.bodyKeys.get(spec.slug)!;
    const before = existing.has(name) ? await readPageFile(file) : undefined;
    let body: Pick<PageFile, 'headings' | 'html' | 'problem'>;
    if (before?.bodyKey === bodyKey) {
      body = before;
    } else {
      const path = join(options.contentDir, spec.entry.file);
      try {
        const text = await readFile(path, 'utf8');
        if (createHash('sha256').update(text).digest('hex') !== spec.entry.digest)
          throw new Error('the file does not match its digest in site.json; write the content folder with writeContent()');
        const { frontmatter, content } = parseFrontmatter(text);
        const fileURL = pathToFileURL(join(fileURLToPath(options.docsDir), `${spec.slug || 'index'}.md`));
        const output = await renderBodySafely(
          options.renderer,
          content,
          { frontmatter, fileURL },
          options.guard && { guard: options.guard, slug: spec.slug, key: bodyKey },
        );
        // The HTML is final here: parsed and sanitised as a tree (sanitizeBody.ts), nothing upstream trusted;
        // only the home page is docs-sync's own HTML (landingPage.ts, every value escaped), not an author's.
        body = spec.entry.template === 'splash' ? output : { ...sanitizeBody(output), ...(output.problem !== undefined ? { problem: output.problem } : {}) };
        rendered++;
      } catch (err) {
        throw new Error(`Cannot render ${path}: ${(err as Error).message}`, { cause: err });
      }
    }
    const page: PageFile = {
      bodyKey,
      frontmatter: spec.frontmatter,
      headings: body.headings,
      pagination: spec.pagination,
      languages: spec.languages,
      html: body.html,
    };
    if (spec.nav) page.nav = spec.nav.id;
    if (spec.searchFilter !== undefined) page.searchFilter = spec.searchFilter;
    if (spec.versions !== undefined) page.versions = spec.versions;
    if (body.problem !== undefined) {
      page.problem = body.problem;
      options.problems?.set(spec.slug, body.problem);
    }
    await writeFile(file, JSON.stringify(page));
  }
  return rendered;
}
