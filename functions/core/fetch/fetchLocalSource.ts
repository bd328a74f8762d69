import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { SourceConfig, SourceFile } from '../types.ts';
import { isDocFile, MAX_DOC_BYTES, tooLargeReason, type FetchResult, type SkippedFile } from './docFiles.ts';

const IGNORED_DIRS = new Set(['.git', 'node_modules']);

/**
 * Read a local folder source like a GitHub one: `.md`/`.markdown` files under `paths`, paths relative
 * to the folder, symbolic links never followed (reported as skipped, as on GitHub), nothing over 5 MB,
 * `.git` and `node_modules` ignored. `sha` is a digest of the paths and contents; `ref` is `local`.
 */
export async function fetchLocalSource(source: SourceConfig, { maxFileBytes = MAX_DOC_BYTES }: { maxFileBytes?: number } = {}): Promise<FetchResult> {
  if (!source.localPath) throw new Error(`source "${source.id}" is a GitHub repository, not a local folder; use fetchGitHubSource`);
  const where = `local source "${source.id}"`;
  const root = await realpath(source.localPath).catch(() => undefined);
  if (!root || !(await lstat(root)).isDirectory()) {
    throw new Error(
      `${where}: folder ${source.localPath} does not exist — fix \`path\` in the sources file (relative paths start at the sources file's folder)`,
    );
  }
  const files = new Map<string, Buffer>();
  const skipped = new Map<string, SkippedFile>();

  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    for (const e of entries) {
      const path = rel === '' ? e.name : posix.join(rel, e.name);
      if (e.isSymbolicLink()) {
        if (isDocFile(path, source.paths)) skipped.set(path, { path, reason: 'symbolic link: not followed' });
      } else if (e.isDirectory()) {
        if (!IGNORED_DIRS.has(e.name)) await walk(path);
      } else if (e.isFile() && isDocFile(path, source.paths) && !files.has(path)) {
        const { size } = await lstat(join(root, path));
        if (size > maxFileBytes) skipped.set(path, { path, reason: tooLargeReason(size, maxFileBytes) });
        else files.set(path, await readFile(join(root, path)));
      }
    }
  };

  for (const folder of source.paths) {
    const rel = folder === '.' ? '' : folder;
    const info = await lstat(join(root, rel)).catch(() => undefined);
    if (!info?.isDirectory()) {
      const what = info?.isSymbolicLink() ? 'is a symbolic link (not followed)' : 'does not exist';
      throw new Error(`${where}: folder "${folder}" in ${root} ${what} — fix \`paths\` of source "${source.id}" in the sources file`);
    }
    await walk(rel);
  }

  const out: SourceFile[] = [...files].map(([path, content]) => ({ path, content })).sort((a, b) => (a.path < b.path ? -1 : 1));
  const digest = createHash('sha256');
  for (const f of out) digest.update(`${f.path}\0${f.content.length}\0`).update(f.content);
  const skippedList = [...skipped.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  return { source, sha: digest.digest('hex').slice(0, 12), ref: 'local', files: out, skipped: skippedList };
}
