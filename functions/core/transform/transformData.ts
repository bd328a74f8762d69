import type { Heading } from 'mdast';
import type { VFile } from 'vfile';
import type { PagePlace } from '../pageSlug.ts';
import type { Diagnostic, SourceConfig } from '../types.ts';
import type { Outline } from './outline.ts';
import type { SiteIndex } from './siteIndex.ts';

/** What the plugins know about the file being transformed (set by transformSource on `file.data.docs`). */
export interface DocsData {
  source: SourceConfig;
  /** The file being transformed, relative to the repo root. */
  file: string;
  /** The source's docs folders (`source.paths`). */
  paths: readonly string[];
  /** Every markdown page of the source: repo-relative path → page slug. */
  slugs: ReadonlyMap<string, string>;
  /** Where this file is published (slug, language); undefined outside a site (plugin tests). */
  place?: PagePlace;
  /** Every source's pages: links to other sources, anchors on other pages. Required by rewriteLinks. */
  site?: SiteIndex;
}

/** What the link rewriter did in one file (summed per source by transformSource). */
export interface LinkStats {
  /** Relative (or repo-root) links to a page of the same repository, rewritten to its site URL. */
  relative: number;
  /** Links to a page of another source (relative, GitHub URL or published URL) made internal. */
  crossSource: number;
  /** GitHub or published URLs of a page of the same source made internal. */
  absolute: number;
  /** `#anchor` parts changed to the id the site gives the heading. */
  anchors: number;
  /** Relative links to repository files that are not pages (images, code), pointed at GitHub. */
  toGitHub: number;
  /** Links to a missing file (reported as broken-link). */
  brokenFiles: number;
  /** Links to an existing page with a missing anchor (reported as broken-link). */
  brokenAnchors: number;
}

export const emptyLinkStats = (): LinkStats => ({ relative: 0, crossSource: 0, absolute: 0, anchors: 0, toGitHub: 0, brokenFiles: 0, brokenAnchors: 0 });

/** Page fields the plugins found (front matter, first H1, file name). */
export interface PageMeta {
  title?: string;
  description?: string;
  order?: number;
  category?: string;
  aliases?: string[];
}

/**
 * The shape of `file.data` while a markdown file goes through the processor. (A type alias rather
 * than an interface so it is assignable to VFile's `data`; vfile keeps the object by reference.)
 */
export type TransformData = {
  docs: DocsData;
  diagnostics: Diagnostic[];
  page: PageMeta;
  /** Heading → the id GitHub gives it in the file as written (githubHeadingIds). */
  githubIds?: Map<Heading, string>;
  /** The page's link targets on the site (siteOutline). */
  outline?: Outline;
  links?: LinkStats;
};

/** The transform data of a file; throws (a programming error, not a content problem) when it is missing. */
export function transformData(file: VFile): TransformData {
  const data = file.data as Partial<TransformData>;
  if (!data.docs) {
    throw new Error(
      `transform: file.data.docs is missing for ${file.path ?? '(no path)'}; run files through transformSource (or set file.data.docs) before using the docs-sync plugins`,
    );
  }
  data.diagnostics ??= [];
  data.page ??= {};
  return data as TransformData;
}

/** Record a content problem found in the file being transformed. */
export function report(file: VFile, kind: Diagnostic['kind'], message: string, line?: number, target?: Diagnostic['target']): void {
  const { docs, diagnostics } = transformData(file);
  const d: Diagnostic = { source: docs.source.id, file: docs.file, kind, message };
  if (line !== undefined) d.line = line;
  if (target) d.target = target;
  diagnostics.push(d);
}
