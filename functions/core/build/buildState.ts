import { randomBytes } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What the site builder remembers between builds, under `<cacheDir>/builder/`:
 *   state.json   the keys of what the mirror holds
 *   output-<id>/ a copy of the last built site, made of hard links
 * A build renders only pages whose key changed and takes every other file from the mirror. Files are
 * never written in place (a new file is written and renamed or linked over the old name), so the
 * mirror, the build output and the deployed releases can share them.
 */
export interface BuildState {
  version: 1;
  /** Key of the site bundle (code, dependencies, site config) the mirror was built with. */
  bundleKey: string;
  /** Output file → key of the page's HTML in the mirror. */
  pages: Record<string, string>;
  /** Search shard ("" = the main index) → key of its index in the mirror. */
  shards: Record<string, string>;
  /** Output file → why the page in the mirror shows its text (content the renderer refused). */
  problems?: Record<string, string>;
  /** Folder of the mirror, under the state dir. */
  mirror: string;
}

const STATE = 'state.json';

/** A hard link, or a copy when the two paths are on different filesystems. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
  }
}

/** The last committed state, or undefined when there is none (or its mirror is gone). */
export async function loadState(stateDir: string): Promise<(BuildState & { mirrorDir: string }) | undefined> {
  try {
    const state = JSON.parse(await readFile(join(stateDir, STATE), 'utf8')) as BuildState;
    if (state.version !== 1 || !/^output-[0-9a-f]+$/.test(state.mirror)) return undefined;
    const mirrorDir = join(stateDir, state.mirror);
    if (!(await stat(mirrorDir).catch(() => undefined))?.isDirectory()) return undefined;
    return { ...state, mirrorDir };
  } catch {
    return undefined;
  }
}

/**
 * Hard-link every file under `from` into `to` (created), except paths `skip` says (relative, with
 * "/"; a skipped folder is not entered). Synchronous calls: several times faster than promises for
 * thousands of small files. Returns how many files were linked.
 */
export function linkTree(from: string, to: string, skip: (path: string) => boolean = () => false): number {
  let count = 0;
  const walk = (rel: string): void => {
    mkdirSync(join(to, rel), { recursive: true });
    for (const e of readdirSync(join(from, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (skip(path)) continue;
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) {
        linkOrCopy(join(from, path), join(to, path));
        count++;
      }
    }
  };
  walk('');
  return count;
}

/** Hard-link the given files (relative paths) from `from` into `to`, creating folders as needed. */
export function linkFiles(from: string, to: string, files: readonly string[]): void {
  const made = new Set<string>();
  for (const file of files) {
    const folder = join(to, file, '..');
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    linkOrCopy(join(from, file), join(to, file));
  }
}

/** Replace `path` in the mirror by the file at the same path in `outDir` (link to a temp name, rename). */
function relinkFile(outDir: string, mirrorDir: string, path: string): void {
  const temp = join(mirrorDir, `${path}.${randomBytes(4).toString('hex')}.tmp`);
  mkdirSync(join(temp, '..'), { recursive: true });
  linkOrCopy(join(outDir, path), temp);
  renameSync(temp, join(mirrorDir, path));
}

async function writeState(stateDir: string, state: BuildState): Promise<void> {
  const temp = join(stateDir, `.${STATE}-${randomBytes(4).toString('hex')}`);
  await writeFile(temp, JSON.stringify(state));
  await rename(temp, join(stateDir, STATE));
}

/**
 * Remember `outDir` as the last build. With `changed` (the files and folders that differ from the
 * mirror) only those are replaced in the mirror; without it a new mirror is linked and the old one
 * deleted in the background. The state is removed while the mirror changes, so a crash half-way
 * costs a full build, never a stale page.
 */
export async function commitState(
  stateDir: string,
  outDir: string,
  state: Omit<BuildState, 'mirror' | 'version'>,
  update?: { mirror: string; files: string[]; folders: Array<{ path: string; keep?: string }> },
): Promise<void> {
  if (update) {
    const mirrorDir = join(stateDir, update.mirror);
    await unlink(join(stateDir, STATE));
    for (const { path, keep } of update.folders) {
      const old = (() => {
        try {
          return readdirSync(join(mirrorDir, path));
        } catch {
          return [];
        }
      })();
      for (const name of old) if (name !== keep) rmSync(join(mirrorDir, path, name), { recursive: true, force: true });
      linkTree(join(outDir, path), join(mirrorDir, path), (rel) => rel === keep);
    }
    for (const file of update.files) relinkFile(outDir, mirrorDir, file);
    await writeState(stateDir, { version: 1, ...state, mirror: update.mirror });
    return;
  }
  const mirror = `output-${randomBytes(6).toString('hex')}`;
  linkTree(outDir, join(stateDir, mirror));
  await writeState(stateDir, { version: 1, ...state, mirror });
  // Older mirrors are renamed out of the way now and deleted in the background (it takes a while).
  const trash: string[] = [];
  for (const name of readdirSync(stateDir)) {
    if (name.startsWith('output-') && name !== mirror) {
      trash.push(`.trash-${randomBytes(6).toString('hex')}`);
      renameSync(join(stateDir, name), join(stateDir, trash.at(-1)!));
    }
  }
  void Promise.all(trash.map((name) => rm(join(stateDir, name), { recursive: true, force: true }))).catch(() => undefined);
}

/** Delete mirrors other than `keep` and leftovers of interrupted builds (in the background). */
export async function forgetOthers(stateDir: string, keep?: string): Promise<void> {
  const stale = (await readdir(stateDir).catch(() => [] as string[])).filter(
    (name) => (name.startsWith('output-') && name !== keep) || name.startsWith('.trash-') || name.startsWith(`.${STATE}`),
  );
  void Promise.all(stale.map((name) => rm(join(stateDir, name), { recursive: true, force: true }))).catch(() => undefined);
}
