/**
 * The versions each versioned source publishes, as last listed from GitHub, kept in
 * `DATA_DIR/versions.json` so every build (and a restart) expands the sources the same way without
 * asking GitHub again; a build lists them again only when something may have changed (discoverVersions).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One branch or tag a versioned source publishes. */
export interface VersionRef {
  name: string;
  kind: 'branch' | 'tag';
  sha: string;
}

export interface StoredVersions {
  /** Published refs, newest first (already cut to `newest`). */
  refs: VersionRef[];
  checkedAt: string;
  /** The `versions:` setting the list was made for; a changed setting lists again. */
  key: string;
}

export type VersionTable = Record<string, StoredVersions>;

const file = (dataDir: string): string => join(dataDir, 'versions.json');

export async function loadVersions(dataDir: string): Promise<VersionTable> {
  try {
    const data = JSON.parse(await readFile(file(dataDir), 'utf8')) as unknown;
    return data && typeof data === 'object' ? (data as VersionTable) : {};
  } catch {
    return {};
  }
}

/** Written to a temp file and renamed: never half-written. */
export async function saveVersions(dataDir: string, table: VersionTable): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(`${file(dataDir)}.tmp`, JSON.stringify(table));
  await rename(`${file(dataDir)}.tmp`, file(dataDir));
}
