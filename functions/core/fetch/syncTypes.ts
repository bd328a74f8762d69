import type { SourceFile } from '../types.ts';
import type { FetchResult, SkippedFile } from './docFiles.ts';
import type { FetchCache } from './fetchCache.ts';
import type { gitHubChanges } from './gitHubChanges.ts';
import type { GitHubReader } from './gitHubReader.ts';

/** How one GitHub source is read, and with what. */
export interface SyncEnv {
  reader: GitHubReader;
  changes: ReturnType<typeof gitHubChanges>;
  /** Where downloaded files go (always) and come from (unless `useCache` is false: a full fetch). */
  cache: FetchCache;
  useCache: boolean;
  /** `auto`: one tarball for a cold fetch or when many files are unknown; `blobs`: file by file. */
  strategy: 'auto' | 'tarball' | 'blobs';
  /** More unknown files than this are read from one tarball rather than one by one (default 5). */
  tarballAbove: number;
  /** A tarball larger than this unpacked is abandoned for file-by-file reads (default 200 MB). */
  maxTarballBytes: number;
  maxFileBytes: number;
  /** Blob reads in flight for this source (the token's gate caps the total anyway). */
  concurrency: number;
}

/** A file we already have: its bytes, git blob sha and last commit. */
export interface KnownFile {
  blob: string;
  content: Uint8Array;
  lastCommit?: SourceFile['lastCommit'];
}

/** What we know of a source from its last good fetch (snapshot or cache manifest). */
export interface Known {
  sha: string;
  ref: string;
  files: Map<string, KnownFile>;
  skipped: SkippedFile[];
  /** Where it came from, for the progress line. */
  from: 'snapshot' | 'cache';
}

export type SyncMode = 'cold' | 'unchanged' | 'push' | 'compare' | 'tree';

/** One source's fetch: the result, each file's blob sha, and the paths still needing a last commit. */
export interface SourceSync {
  result: FetchResult;
  blobs: Map<string, string>;
  /** Files whose content is new or whose last commit is unknown: ask GitHub (GraphQL) when allowed. */
  needHistory: string[];
  mode: SyncMode;
  /** Why an incremental path was given up for a costlier one (for the progress line). */
  note?: string;
}

export const byPath = <T extends { path: string }>(a: T, b: T): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Assemble a SourceSync from a path → file map. */
export function toSync(
  source: FetchResult['source'],
  at: { sha: string; ref: string },
  files: Map<string, KnownFile>,
  skipped: SkippedFile[],
  mode: SyncMode,
): SourceSync {
  const list: SourceFile[] = [...files].map(([path, f]) => ({ path, content: f.content, ...(f.lastCommit ? { lastCommit: f.lastCommit } : {}) })).sort(byPath);
  const blobs = new Map([...files].map(([path, f]) => [path, f.blob]));
  return { result: { source, sha: at.sha, ref: at.ref, files: list, skipped: [...skipped].sort(byPath) }, blobs, needHistory: [], mode };
}
