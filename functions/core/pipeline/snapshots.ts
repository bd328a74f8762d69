import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FetchedSource, SourceConfig, SourceFile } from '../types.ts';
import { fileSafeId } from '../versions/expandVersions.ts';

interface SnapshotFile {
  /** What the snapshot was fetched for; a changed repo, ref or paths makes it unusable. */
  key: string;
  sha: string;
  ref: string;
  fetchedAt: string;
  files: Array<{ path: string; content: string; lastCommit?: SourceFile['lastCommit'] }>;
  skipped?: FetchedSource['skipped'];
  private?: boolean;
}

function sourceKey(s: SourceConfig): string {
  return JSON.stringify([s.repo ? `${s.repo.owner}/${s.repo.name}` : s.localPath, s.ref ?? null, s.paths]);
}

function snapshotPath(dataDir: string, id: string): string {
  return join(dataDir, 'snapshots', `${fileSafeId(id)}.json`);
}

/**
 * Keep the last fetched copy of a source, so a build triggered by one repository reuses the others
 * without fetching them again. Written to a temp file and renamed: never half-written.
 */
export async function saveSnapshot(dataDir: string, fetched: FetchedSource): Promise<void> {
  const file = snapshotPath(dataDir, fetched.source.id);
  await mkdir(join(dataDir, 'snapshots'), { recursive: true });
  const data: SnapshotFile = {
    key: sourceKey(fetched.source),
    sha: fetched.sha,
    ref: fetched.ref,
    fetchedAt: new Date().toISOString(),
    files: fetched.files.map((f) => ({
      path: f.path,
      content: Buffer.from(f.content).toString('base64'),
      ...(f.lastCommit ? { lastCommit: f.lastCommit } : {}),
    })),
    ...(fetched.skipped?.length ? { skipped: fetched.skipped } : {}),
    ...(fetched.private !== undefined ? { private: fetched.private } : {}),
  };
  await writeFile(`${file}.tmp`, JSON.stringify(data));
  await rename(`${file}.tmp`, file);
}

/** The last fetched copy of `source`, or undefined when there is none (or its config changed). */
export async function loadSnapshot(dataDir: string, source: SourceConfig): Promise<(FetchedSource & { fetchedAt: string }) | undefined> {
  let data: SnapshotFile;
  try {
    data = JSON.parse(await readFile(snapshotPath(dataDir, source.id), 'utf8')) as SnapshotFile;
  } catch {
    return undefined;
  }
  if (data.key !== sourceKey(source)) return undefined;
  return {
    source,
    sha: data.sha,
    ref: data.ref,
    fetchedAt: data.fetchedAt,
    files: data.files.map((f) => ({ path: f.path, content: Buffer.from(f.content, 'base64'), ...(f.lastCommit ? { lastCommit: f.lastCommit } : {}) })),
    ...(data.skipped ? { skipped: data.skipped } : {}),
    ...(typeof data.private === 'boolean' ? { private: data.private } : {}),
  };
}
