import type { VFile } from 'vfile';
import type { Diagnostic, SourceConfig } from '../types.ts';

/** What the plugins know about the file being transformed (set by transformSource on `file.data.docs`). */
export interface DocsData {
  source: SourceConfig;
  /** The file being transformed, relative to the repo root. */
  file: string;
  /** The source's docs folders (`source.paths`). */
  paths: readonly string[];
  /** Every markdown page of the source: repo-relative path → page slug. */
  slugs: ReadonlyMap<string, string>;
}

/** Page fields the plugins found (front matter, first H1, file name). */
export interface PageMeta {
  title?: string;
  description?: string;
  order?: number;
  category?: string;
}

/**
 * The shape of `file.data` while a markdown file goes through the processor. (A type alias rather
 * than an interface so it is assignable to VFile's `data`; vfile keeps the object by reference.)
 */
export type TransformData = {
  docs: DocsData;
  diagnostics: Diagnostic[];
  page: PageMeta;
};

/** The transform data of a file; throws (a programming error, not a content problem) when it is missing. */
export function transformData(file: VFile): TransformData {
  const data = file.data as Partial<TransformData>;
  if (!data.docs) {
    throw new Error(`transform: file.data.docs is missing for ${file.path ?? '(no path)'}; run files through transformSource (or set file.data.docs) before using the docs-sync plugins`);
  }
  data.diagnostics ??= [];
  data.page ??= {};
  return data as TransformData;
}

/** Record a content problem found in the file being transformed. */
export function report(file: VFile, kind: Diagnostic['kind'], message: string, line?: number): void {
  const { docs, diagnostics } = transformData(file);
  const d: Diagnostic = { source: docs.source.id, file: docs.file, kind, message };
  if (line !== undefined) d.line = line;
  diagnostics.push(d);
}
