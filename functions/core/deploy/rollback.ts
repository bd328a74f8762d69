import { activateRelease, currentRelease, listReleases } from './deployRelease.ts';

/**
 * Switch the site to a kept release, atomically (the same symlink switch as a deploy). Without a
 * release named: the newest release older than the current one. Throws with the known releases.
 */
export async function rollback(dataDir: string, release?: string): Promise<{ release: string; previous?: string }> {
  const current = (await currentRelease(dataDir))?.release;
  let target = release;
  if (!target) {
    const names = (await listReleases(dataDir))
      .map((r) => r.release)
      .sort()
      .reverse();
    target = names.find((name) => current === undefined || name < current);
    if (!target) throw new Error(`No release older than the current one (${current ?? 'none'}) is kept; known releases: ${names.join(', ') || 'none'}.`);
  }
  await activateRelease(dataDir, target);
  return current ? { release: target, previous: current } : { release: target };
}
