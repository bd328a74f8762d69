/**
 * The second half of "one page never fails the site" (the first is renderBodySafely): when Starlight's
 * page around a body throws (its front matter schema, a heading, a sidebar label…), the page file is
 * rewritten as a plain page showing its text, and rendered again. First with its sidebar and
 * languages, then without anything but a title. Only when even that fails is it the site's failure.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFrontmatter } from 'astro/markdown';
import { oneLine } from './markdownFile.ts';
import { pageFileName, type PageFile } from './pageInputs.ts';
import type { PageSpec } from './pageSpecs.ts';
import { AS_TEXT_NOTE, errorLine, shownAsText, wellFormed } from './renderBodySafely.ts';

/** Asked when rendering the page written to `outFile` threw: true = its page file was replaced, render it again. */
export type Recover = (outFile: string, error: unknown, attempt: number) => Promise<boolean>;

/** Render, and on an error let `recover` replace the page file and render again, until it gives up. */
export async function withRecovery<T>(outFile: string, render: () => Promise<T>, recover: Recover | undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await render();
    } catch (error) {
      if (!recover || !(await recover(outFile, error, attempt))) throw error;
    }
  }
}

/** A title Starlight always accepts: one line of well-formed text, never empty. */
function safeTitle(title: unknown, fallback: string): string {
  const text = typeof title === 'string' ? oneLine(wellFormed(title)) : '';
  return text || fallback || 'Untitled';
}

/** The markdown of a page without its front matter ('' when it cannot be read). */
async function markdownOf(contentDir: string, spec: PageSpec): Promise<string> {
  const text = await readFile(join(contentDir, spec.entry.file), 'utf8').catch(() => '');
  try {
    return parseFrontmatter(text).content;
  } catch {
    return text;
  }
}

/**
 * The Recover of a build: for a page of `specs`, attempt 1 writes its page file as text with its
 * sidebar, previous/next and languages; attempt 2 with nothing but a title. Each page it recovers is
 * put in `problems` (slug → why). The not-found page and a third attempt are not recovered.
 */
export function pageRecovery(options: {
  specs: readonly PageSpec[];
  bodyKeys: ReadonlyMap<string, string>;
  contentDir: string;
  renderDir: string;
  problems: Map<string, string>;
}): Recover {
  const byFile = new Map(options.specs.map((s) => [s.outFile, s]));
  return async (outFile, error, attempt) => {
    const spec = byFile.get(outFile);
    if (!spec || attempt > 2) return false;
    const problem =
      options.problems.get(spec.slug) ?? `Starlight could not render the page (${errorLine(error)}); it is shown as text. Check its title and front matter.`;
    options.problems.set(spec.slug, problem);
    const page: PageFile = {
      bodyKey: `fallback:${options.bodyKeys.get(spec.slug) ?? ''}`,
      frontmatter: { title: safeTitle(spec.frontmatter.title, spec.slug) },
      headings: [],
      pagination: attempt === 1 ? spec.pagination : {},
      languages: attempt === 1 ? spec.languages : [],
      html: shownAsText(await markdownOf(options.contentDir, spec), AS_TEXT_NOTE),
      problem,
    };
    if (attempt === 1 && spec.nav) page.nav = spec.nav.id;
    if (attempt === 1 && spec.searchFilter !== undefined) page.searchFilter = spec.searchFilter;
    await writeFile(join(options.renderDir, 'p', pageFileName(spec.slug)), JSON.stringify(page));
    return true;
  };
}
