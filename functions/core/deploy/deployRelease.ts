import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { activateRelease, assertReleaseId, listReleases, releasesDir, syncDir, tempName, type Release } from './releases.ts';

export { activateRelease, currentRelease, listReleases } from './releases.ts';
export type { Release, ReleaseInfo } from './releases.ts';

export interface DeployOptions {
  dataDir: string;
  /** A finished build; it is moved (not copied) when it is on the same filesystem. */
  builtDir: string;
  /** The new release's name, e.g. the build id. */
  id: string;
  /** Releases to keep, the current one included (at least 1). Default 5. */
  keep?: number;
}

/** Move `from` to `to` in one step; across filesystems copy to a hidden temp name first, then rename. */
async function moveInto(from: string, to: string, tempDir: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    const temp = join(tempDir, tempName('incoming'));
    await cp(from, temp, { recursive: true, verbatimSymlinks: true });
    await rename(temp, to);
    await rm(from, { recursive: true, force: true });
  }
}

/** Remove releases beyond `keep` (never the current one) and leftovers of interrupted deploys. */
async function prune(dataDir: string, keep: number): Promise<string[]> {
  const dir = releasesDir(dataDir);
  const removed: string[] = [];
  const old = (await listReleases(dataDir)).filter((r) => !r.current).slice(Math.max(0, keep - 1));
  for (const r of old) {
    // Rename first: a crash mid-delete must not leave a half-deleted folder that looks like a release.
    const doomed = join(dir, tempName('deleting', r.release));
    await rename(r.path, doomed);
    removed.push(r.release);
  }
  for (const name of await readdir(dir)) {
    if (name.startsWith('.')) await rm(join(dir, name), { recursive: true, force: true });
  }
  for (const name of await readdir(dataDir)) {
    if (name.startsWith('.current-')) await rm(join(dataDir, name), { force: true });
  }
  return removed;
}

/**
 * Deploy a finished build atomically: move it to `<dataDir>/releases/<id>`, switch the `current`
 * symlink to it with a rename, then prune old releases. Single writer: run one deploy at a time.
 * A crash at any point leaves `current` pointing at a complete release.
 */
export async function deployRelease({ dataDir, builtDir, id, keep = 5 }: DeployOptions): Promise<Release & { pruned: string[] }> {
  assertReleaseId(id);
  const dir = releasesDir(dataDir);
  const target = join(dir, id);
  const built = await stat(builtDir).catch(() => undefined);
  if (!built?.isDirectory()) throw new Error(`Cannot deploy release "${id}": the built site ${builtDir} is not a folder.`);
  if ((await stat(join(builtDir, 'index.html')).catch(() => undefined)) === undefined) {
    throw new Error(`Cannot deploy release "${id}": ${builtDir} has no index.html, so it is not a finished build.`);
  }
  await mkdir(dir, { recursive: true });
  if (await stat(target).catch(() => undefined)) {
    throw new Error(`Cannot deploy release "${id}": ${target} already exists. Release ids must be unique; use activateRelease() to roll back to it.`);
  }
  await moveInto(builtDir, target, dir);
  await syncDir(dir);
  const release = await activateRelease(dataDir, id);
  let pruned: string[] = [];
  try {
    pruned = await prune(dataDir, Math.max(1, keep));
  } catch {
    // The deploy itself succeeded; leftovers are retried by the next deploy.
  }
  return { ...release, pruned };
}
