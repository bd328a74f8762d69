import { docsFolderOf } from '../pageSlug.ts';
import type { FetchedSource } from '../types.ts';

/** Files bigger than this are skipped (and reported), never read. */
export const MAX_DOC_BYTES = 5 * 1024 * 1024;

const MARKDOWN = /\.(md|markdown)$/i;

/** Whether `path` (repo-root relative) is a markdown file under one of the source's docs folders. */
export function isDocFile(path: string, paths: readonly string[]): boolean {
  return MARKDOWN.test(path) && docsFolderOf(path, paths) !== undefined;
}

/** Why a file is skipped for its size, e.g. "5.00 MB is over the 5 MB limit for one document". */
export function tooLargeReason(size: number, limit: number): string {
  const fmt = (n: number): string =>
    n >= 1048576 ? `${n % 1048576 === 0 ? n / 1048576 : (n / 1048576).toFixed(2)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} bytes`;
  return `${fmt(size)} is over the ${fmt(limit)} limit for one document`;
}

/** A file the fetch step saw but did not read, and why (for the build report). */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** A fetched source plus the files it saw under the docs folders but did not read, and why. */
export interface FetchResult extends FetchedSource {
  skipped: SkippedFile[];
}
