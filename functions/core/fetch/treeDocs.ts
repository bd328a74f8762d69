import type { SourceConfig } from '../types.ts';
import { isDocFile, tooLargeReason, type SkippedFile } from './docFiles.ts';
import { GitHubReadError } from './errors.ts';
import type { TreeItem } from './gitHubReader.ts';
import type { TarEntryHeader } from './readTarball.ts';

const SUBMODULE = 'git submodule: its files live in another repository; add that repository as its own source';
const SYMLINK = 'symbolic link: not followed';
const isSubmoduleUnderDocs = (path: string, paths: readonly string[]): boolean => isDocFile(`${path}/index.md`, paths);

/** Fail when a docs folder of the source does not exist at the commit, naming the folders that do. */
export function checkFolders(source: SourceConfig, where: string, folders: ReadonlySet<string>): void {
  const missing = source.paths.filter((p) => p !== '.' && !folders.has(p.replace(/\/+$/, '')));
  if (!missing.length) return;
  const top = [...folders]
    .filter((f) => !f.includes('/'))
    .sort()
    .slice(0, 12);
  throw new GitHubReadError(
    `${where} has no folder ${missing.map((m) => `"${m}"`).join(', ')} — fix \`paths\` of source "${source.id}" in the sources file` +
      ` (folders at the repository root: ${top.length ? top.join(', ') : 'none'})`,
  );
}

/**
 * The markdown files under the source's docs folders in a tree listing, and those left out on
 * purpose (symbolic links, submodules, files over the size limit). Checks the docs folders exist
 * (unless the listing was truncated).
 */
export function docsFromTree(
  source: SourceConfig,
  where: string,
  tree: { items: TreeItem[]; truncated: boolean },
  maxFileBytes: number,
): { wanted: TreeItem[]; skipped: SkippedFile[] } {
  const skipped: SkippedFile[] = [];
  const wanted: TreeItem[] = [];
  for (const item of tree.items) {
    if (item.type === 'commit' && isSubmoduleUnderDocs(item.path, source.paths)) skipped.push({ path: item.path, reason: SUBMODULE });
    if (item.type !== 'blob' || !isDocFile(item.path, source.paths)) continue;
    if (item.mode === '120000') skipped.push({ path: item.path, reason: SYMLINK });
    else if (item.size > maxFileBytes) skipped.push({ path: item.path, reason: tooLargeReason(item.size, maxFileBytes) });
    else wanted.push(item);
  }
  if (!tree.truncated) checkFolders(source, where, new Set(tree.items.filter((i) => i.type === 'tree' || i.type === 'commit').map((i) => i.path)));
  return { wanted, skipped };
}

/**
 * What a tarball's entry headers say about the source: files left out on purpose, and the folders
 * (git archives a submodule as an empty folder: git never stores empty folders otherwise).
 */
export function docsFromTarball(source: SourceConfig, headers: TarEntryHeader[], maxFileBytes: number): { skipped: SkippedFile[]; folders: Set<string> } {
  const skipped: SkippedFile[] = [];
  const folders = new Set<string>();
  const parents = new Set<string>();
  for (const h of headers) {
    if (h.type === 'directory') folders.add(h.path);
    const slash = h.path.lastIndexOf('/');
    if (slash > 0) parents.add(h.path.slice(0, slash));
    if (!isDocFile(h.path, source.paths)) continue;
    if (h.type === 'symlink') skipped.push({ path: h.path, reason: SYMLINK });
    else if (h.type === 'file' && h.size > maxFileBytes) skipped.push({ path: h.path, reason: tooLargeReason(h.size, maxFileBytes) });
  }
  for (const f of folders) if (!parents.has(f) && isSubmoduleUnderDocs(f, source.paths)) skipped.push({ path: f, reason: SUBMODULE });
  return { skipped, folders };
}

/** Whether a `.gitattributes` may make a tarball differ from git (export-ignore / export-subst). */
export const exportAttributes = (content: Uint8Array): boolean => /\bexport-(ignore|subst)\b/.test(Buffer.from(content).toString('utf8'));
export const isGitattributes = (path: string): boolean => path === '.gitattributes' || path.endsWith('/.gitattributes');
