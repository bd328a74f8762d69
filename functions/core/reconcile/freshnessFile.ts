/**
 * What the reconcile sweeps learned, kept in `DATA_DIR/freshness.json` so every process on the
 * data folder (the local server, FC's HTTP function and builder) shows the same freshness: per
 * source the live commit, the branch head when last checked, since when the site lags behind it,
 * and whether that lag has been notified. Written to a temp file and renamed: never half-written.
 * On FC with DEPLOY_TARGET=oss each function has its own /tmp: the record lives in the bucket instead
 * (createOssFreshnessStore), behind the same FreshnessStore interface.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestCount } from '../fetch/gitHubCall.ts';

export interface SourceFreshness {
  repo: string;
  ref: string;
  /** The commit the site had at the last check. */
  live: string;
  /** The branch head at the last successful check. */
  head?: string;
  checkedAt: string;
  /** First check that found the head ahead of the live commit; absent while in step. */
  behindSince?: string;
  /** The lag passed STALE_AFTER and was notified (cleared, and notified again, when it recovers). */
  staleNotified?: boolean;
  /** Why the last check failed. */
  error?: string;
}

export interface Freshness {
  lastSweep?: { at: string; requests: RequestCount; checked: number; moved: string[]; build?: string };
  sources: Record<string, SourceFreshness>;
}

/** Where the freshness record is kept: the data folder's file, or a private object in the OSS bucket. */
export interface FreshnessStore {
  read(): Promise<Freshness>;
  write(data: Freshness): Promise<void>;
}

/** The record as read from storage: anything malformed counts as no record. */
export const freshnessOf = (data: unknown): Freshness => {
  const f = data as Freshness | null;
  return f && typeof f.sources === 'object' && f.sources !== null ? f : { sources: {} };
};

export const fileFreshness = (dataDir: string): FreshnessStore => ({ read: () => readFreshness(dataDir), write: (data) => writeFreshness(dataDir, data) });

const fileOf = (dataDir: string): string => join(dataDir, 'freshness.json');

export async function readFreshness(dataDir: string): Promise<Freshness> {
  try {
    return freshnessOf(JSON.parse(await readFile(fileOf(dataDir), 'utf8')));
  } catch {
    return { sources: {} };
  }
}

export async function writeFreshness(dataDir: string, data: Freshness): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const tmp = `${fileOf(dataDir)}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(data, null, 1));
  await rename(tmp, fileOf(dataDir));
}
