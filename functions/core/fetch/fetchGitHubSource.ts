import type { Octokit } from '@octokit/rest';
import type { SourceConfig, SourceFile } from '../types.ts';
import { isDocFile, MAX_DOC_BYTES, tooLargeReason, type FetchResult, type SkippedFile } from './docFiles.ts';
import { GitHubReadError } from './errors.ts';
import { gitBlobSha, gitHubReader, type TreeItem } from './gitHubReader.ts';
import { mapLimit } from './mapLimit.ts';
import type { RetryOptions } from './withRetry.ts';

export interface FetchGitHubOptions {
  octokit: Octokit;
  /** Blob requests in flight at once (default 8). */
  concurrency?: number;
  retry?: RetryOptions;
  /**
   * `auto` (default) downloads one tarball when more than `tarballAbove` files are wanted and the
   * repository is at most `maxTarballBytes`, else reads file by file; a truncated tree always uses the tarball.
   */
  strategy?: 'auto' | 'tarball' | 'blobs';
  tarballAbove?: number;
  maxTarballBytes?: number;
  /** Longest a tarball download may take before it is retried (default 300 000 ms). */
  downloadTimeoutMs?: number;
  maxFileBytes?: number;
}

/**
 * Read a GitHub source's markdown at one commit: resolve the ref (default: the repository's default
 * branch) to a sha, list the tree, keep `.md`/`.markdown` files under the source's `paths` (no symlinks,
 * no submodules, nothing over 5 MB), then download them. Paths are relative to the repository root.
 */
export async function fetchGitHubSource(source: SourceConfig, options: FetchGitHubOptions): Promise<FetchResult> {
  if (!source.repo) throw new Error(`source "${source.id}" is a local folder, not a GitHub repository; use fetchLocalSource`);
  const { octokit, concurrency = 8, strategy = 'auto', tarballAbove = 5, maxTarballBytes = 200 * 1024 * 1024 } = options;
  const maxFileBytes = options.maxFileBytes ?? MAX_DOC_BYTES;
  const gh = gitHubReader(octokit, source.repo, options.retry, options.downloadTimeoutMs);
  const ref = source.ref ?? (await gh.defaultBranch());
  const sha = await gh.resolveCommit(ref);
  const tree = await gh.tree(sha);

  const skipped: SkippedFile[] = [];
  const wanted: TreeItem[] = [];
  const tooBig = (size: number): string => tooLargeReason(size, maxFileBytes);
  for (const item of tree.items) {
    if (item.type === 'commit' && isDocFile(`${item.path}/index.md`, source.paths)) {
      skipped.push({ path: item.path, reason: 'git submodule: its files live in another repository; add that repository as its own source' });
    }
    if (item.type !== 'blob' || !isDocFile(item.path, source.paths)) continue;
    if (item.mode === '120000') skipped.push({ path: item.path, reason: 'symbolic link: not followed' });
    else if (item.size > maxFileBytes) skipped.push({ path: item.path, reason: tooBig(item.size) });
    else wanted.push(item);
  }
  if (!tree.truncated) {
    const folders = new Set(tree.items.filter((i) => i.type === 'tree' || i.type === 'commit').map((i) => i.path));
    const missing = source.paths.filter((p) => p !== '.' && !folders.has(p));
    if (missing.length) {
      const top = [...folders].filter((f) => !f.includes('/')).sort().slice(0, 12);
      throw new GitHubReadError(
        `${gh.label}@${ref} has no folder ${missing.map((m) => `"${m}"`).join(', ')} — fix \`paths\` of source "${source.id}" in the sources file` +
          ` (folders at the repository root: ${top.length ? top.join(', ') : 'none'})`,
      );
    }
  }

  const repoBytes = tree.items.reduce((n, i) => n + (i.type === 'blob' ? i.size : 0), 0);
  const useTarball = tree.truncated || strategy === 'tarball' || (strategy === 'auto' && wanted.length > tarballAbove && repoBytes <= maxTarballBytes);
  const files = new Map<string, Buffer>();
  if (useTarball) {
    const bySha = new Map(wanted.map((w) => [w.path, w.sha]));
    const keep = tree.truncated
      ? (h: { path: string; size: number }) => isDocFile(h.path, source.paths) && h.size <= maxFileBytes
      : (h: { path: string }) => bySha.has(h.path);
    const got = await gh.tarball(sha, keep);
    for (const f of got.files) {
      // A tarball can differ from git for export-ignore / export-subst files: those are read as blobs below.
      if (tree.truncated || gitBlobSha(f.content) === bySha.get(f.path)) files.set(f.path, f.content);
    }
    if (tree.truncated) {
      for (const h of got.headers) {
        if (!isDocFile(h.path, source.paths)) continue;
        if (h.type === 'symlink') skipped.push({ path: h.path, reason: 'symbolic link: not followed' });
        else if (h.type === 'file' && h.size > maxFileBytes) skipped.push({ path: h.path, reason: tooBig(h.size) });
      }
    }
  }
  const remaining = tree.truncated ? [] : wanted.filter((w) => !files.has(w.path));
  const blobs = await mapLimit(remaining, concurrency, (w) => gh.blob(w.sha, w.path));
  remaining.forEach((w, i) => files.set(w.path, blobs[i]!));

  const out: SourceFile[] = [...files].map(([path, content]) => ({ path, content }));
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { source, sha, ref, files: out, skipped };
}
