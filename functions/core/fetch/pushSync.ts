import type { PushChanges, SourceConfig } from '../types.ts';
import { isDocFile, tooLargeReason, type SkippedFile } from './docFiles.ts';
import { mapLimit } from './mapLimit.ts';
import type { Known, KnownFile, SourceSync, SyncEnv } from './syncTypes.ts';
import { toSync } from './syncTypes.ts';
import { readBlobs } from './treeSync.ts';

const SYMLINK = 'symbolic link: not followed';
const SUBMODULE = 'git submodule: its files live in another repository; add that repository as its own source';

/** Start from what we know; the paths in `touched` are re-decided (their skip reasons dropped). */
function startFrom(known: Known, touched: ReadonlySet<string>): { files: Map<string, KnownFile>; skipped: SkippedFile[] } {
  return { files: new Map(known.files), skipped: known.skipped.filter((s) => !touched.has(s.path)) };
}

/**
 * Apply a push's own lists to the last good state: removed files dropped, each added or modified
 * markdown file under the docs folders read at the pushed commit through the contents API (one
 * request each), everything else reused. The caller has checked `changes.before` is the known
 * commit and the lists are complete. Undefined when GitHub contradicts the lists (a listed file is
 * missing) or when so many files changed that a comparison + tarball is cheaper.
 */
export async function pushSync(source: SourceConfig, env: SyncEnv, known: Known, changes: PushChanges, maxFiles = 20): Promise<SourceSync | undefined> {
  const docs = (list: string[]): string[] => [...new Set(list)].filter((p) => isDocFile(p, source.paths));
  const changed = docs([...changes.added, ...changes.modified]);
  const removed = docs(changes.removed).filter((p) => !changed.includes(p));
  if (changed.length > maxFiles) return undefined;
  const { files, skipped } = startFrom(known, new Set([...changed, ...removed]));
  for (const p of removed) files.delete(p);

  const entries = await mapLimit(changed, env.concurrency, (p) => env.changes.contents(p, changes.after));
  const big: Array<{ path: string; sha: string }> = [];
  for (const [i, path] of changed.entries()) {
    const e = entries[i]!;
    files.delete(path);
    if (e.kind === 'missing') return undefined;
    if (e.kind === 'symlink') skipped.push({ path, reason: SYMLINK });
    else if (e.kind === 'submodule') skipped.push({ path, reason: SUBMODULE });
    else if (e.kind === 'file' && e.size > env.maxFileBytes) skipped.push({ path, reason: tooLargeReason(e.size, env.maxFileBytes) });
    else if (e.kind === 'file' && e.content) {
      files.set(path, { blob: e.sha, content: e.content });
      await env.cache.writeBlob(e.sha, e.content);
    } else if (e.kind === 'file') big.push({ path, sha: e.sha }); // over 1 MB: the contents API sends no bytes
  }
  for (const [path, f] of await readBlobs({ ...env, strategy: 'blobs' }, changes.after, big)) files.set(path, f);
  return toSync(source, { sha: changes.after, ref: known.ref }, files, skipped, 'push');
}

/**
 * Bring the last good state up to `head` with GitHub's comparison of the two commits: one request
 * for the list of changed files and their blob shas, then only the unknown contents (cache first;
 * many at once from one tarball). Undefined when the comparison cannot serve as a diff: the known
 * commit is not an ancestor of `head` (forced push), GitHub no longer has it, the file list is cut
 * at 300, or a file changed type (e.g. into a symbolic link, which only the tree listing shows).
 */
export async function compareSync(source: SourceConfig, env: SyncEnv, known: Known, head: string): Promise<SourceSync | undefined> {
  const cmp = await env.changes.compare(known.sha, head);
  if (!cmp?.complete || (cmp.status !== 'ahead' && cmp.status !== 'identical')) return undefined;
  const touched = new Set(cmp.files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])));
  const { files, skipped } = startFrom(known, touched);
  const wanted: Array<{ path: string; sha: string }> = [];
  for (const f of cmp.files) {
    if (f.previousPath) files.delete(f.previousPath);
    files.delete(f.path);
    if (f.status === 'removed' || !isDocFile(f.path, source.paths)) continue;
    if (!f.sha || f.status === 'changed') return undefined;
    wanted.push({ path: f.path, sha: f.sha });
  }
  const byBlob = new Map([...known.files.values()].map((f) => [f.blob, f.content]));
  for (const [path, f] of await readBlobs(env, head, wanted, byBlob)) {
    if (f.content.length > env.maxFileBytes) skipped.push({ path, reason: tooLargeReason(f.content.length, env.maxFileBytes) });
    else files.set(path, f);
  }
  const sync = toSync(source, { sha: head, ref: known.ref }, files, skipped, 'compare');
  // Git's rename detection: the pages of renamed files keep their old URLs (functions/core/redirects/).
  const renames = cmp.files.filter((f) => f.previousPath && f.status !== 'removed' && files.has(f.path));
  if (renames.length) sync.result.renames = Object.fromEntries(renames.map((f) => [f.path, f.previousPath!]));
  return sync;
}
