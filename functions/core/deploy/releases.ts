import { open, readdir, readlink, rename, stat, symlink, unlink, utimes } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, join } from 'node:path';

/**
 * Layout under the data dir:
 *   releases/<id>/   one complete built site per release (only whole folders are renamed in)
 *   current          symlink -> releases/<id>, replaced atomically with rename()
 * Names starting with "." under releases/ are temporary (being copied in or being deleted).
 */
export interface Release {
  release: string;
  /** Absolute path of the release folder. */
  path: string;
}

export interface ReleaseInfo extends Release {
  /** When it was deployed or last activated (the folder's mtime). */
  activatedAt: Date;
  current: boolean;
}

const ID = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export const releasesDir = (dataDir: string): string => join(dataDir, 'releases');
export const currentLink = (dataDir: string): string => join(dataDir, 'current');
export const tempName = (kind: string, id = ''): string => `.${kind}-${id}${id ? '-' : ''}${randomBytes(4).toString('hex')}`;

/** Throw unless `id` is a plain folder name (letters, digits, ".", "_", "-"; not starting with "."). */
export function assertReleaseId(id: string): void {
  if (!ID.test(id) || id.length > 200) {
    throw new Error(`Release id "${id}" is not usable as a folder name: use letters, digits, ".", "_" and "-", not starting with ".".`);
  }
}

/** fsync a folder so renames inside it survive a power loss (best effort: not every filesystem allows it). */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

/** The release `current` points at, or undefined when there is none (or it is missing). */
export async function currentRelease(dataDir: string): Promise<Release | undefined> {
  const target = await readlink(currentLink(dataDir)).catch(() => undefined);
  if (target === undefined) return undefined;
  const release = basename(target);
  const path = join(releasesDir(dataDir), release);
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ? { release, path } : undefined;
}

/** Every complete release, most recently activated first. */
export async function listReleases(dataDir: string): Promise<ReleaseInfo[]> {
  const dir = releasesDir(dataDir);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const current = (await currentRelease(dataDir))?.release;
  const out: ReleaseInfo[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !ID.test(e.name)) continue;
    const info = await stat(join(dir, e.name)).catch(() => undefined);
    if (info) out.push({ release: e.name, path: join(dir, e.name), activatedAt: info.mtime, current: e.name === current });
  }
  return out.sort((a, b) => b.activatedAt.getTime() - a.activatedAt.getTime() || (a.release < b.release ? 1 : -1));
}

/** Stamp a release as the most recently activated one (strictly newer than every other release). */
async function stamp(dataDir: string, release: string): Promise<void> {
  const others = (await listReleases(dataDir)).filter((r) => r.release !== release);
  const newest = Math.max(0, ...others.map((r) => r.activatedAt.getTime()));
  const when = new Date(Math.max(Date.now(), newest + 1));
  await utimes(join(releasesDir(dataDir), release), when, when);
}

/**
 * Point `current` at an existing release (deploy or rollback): a temporary symlink is renamed over
 * `current`, so readers see either the old or the new release, never nothing.
 */
export async function activateRelease(dataDir: string, release: string): Promise<Release> {
  assertReleaseId(release);
  const path = join(releasesDir(dataDir), release);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    const known = (await listReleases(dataDir)).map((r) => r.release).join(', ') || 'none';
    throw new Error(`Release "${release}" does not exist under ${releasesDir(dataDir)} (known releases: ${known}).`);
  }
  await stamp(dataDir, release);
  const temp = join(dataDir, tempName('current'));
  await symlink(join('releases', release), temp, 'dir');
  try {
    await rename(temp, currentLink(dataDir));
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `Cannot switch ${currentLink(dataDir)} to release "${release}" (${code ?? String(err)})${code === 'EISDIR' || code === 'ENOTEMPTY' ? ': it is a folder, not a symlink; move it away' : ''}.`,
    );
  }
  await syncDir(dataDir);
  return { release, path };
}
