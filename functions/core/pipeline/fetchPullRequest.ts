/**
 * The fetch step of a PR preview (PREVIEWS.md part 1): each source the PR's base branch feeds, as the
 * PR head makes it, read as cheaply as GitHub allows and written nowhere:
 *  - usually: the source's live copy (its last good snapshot in DATA_DIR, what the live build serves)
 *    plus the PR's changes — `GET /repos/{base}/pulls/{n}/files` (100 a page) and one
 *    `GET /repos/{headRepo}/git/blobs/{sha}` per changed docs file whose bytes are not known already (a
 *    pure rename reuses the live bytes). A one-page change costs 2 requests. The changes land on the
 *    live copy, so a base branch that moved on since the PR was cut shows its newer pages too (what
 *    merging would give); pulls/files names no file modes, so a changed symlink is read as a file.
 *  - the head's tarball (1 API request + the codeload download) when a source has no live snapshot
 *    or the PR changes more than 300 files; the head as it is, links and submodules skipped as live.
 * Files outside a source's docs paths are ignored. Each FetchedSource has sha = the PR head, ref = the
 * tracked branch (edit links stay on it; the head may be a fork), `renames` (new → old) from the file
 * list; changed files carry no last commit (unknown without more requests), unchanged ones keep theirs.
 * `noDocsChange` names the sources the PR changes no docs file of: their preview equals the live pages.
 *
 * ctx: `sources` (all of them; the trigger's ids are picked), `dataDir`, `octokit` (createGitHubClient,
 * as fetchSources takes it), `github` (the same per-source options: retry, gate, maxFileBytes…), `log`,
 * `signal`. Every read goes through gitHubCall (the token's gate, withRetry, the meter); no snapshot,
 * fetch cache or page index is written. A 404 for the pull request (deleted, or a token that cannot
 * read it) or for its head repository (a deleted fork) is a GitHubReadError saying which.
 */
import type { Octokit } from '@octokit/rest';
import { isDocFile, MAX_DOC_BYTES, tooLargeReason } from '../fetch/docFiles.ts';
import { GitHubReadError } from '../fetch/errors.ts';
import type { FetchGitHubOptions } from '../fetch/fetchGitHubSource.ts';
import { type CallContext, RequestMeter } from '../fetch/gitHubCall.ts';
import { gitBlobSha, gitHubReader } from '../fetch/gitHubReader.ts';
import { mapLimit } from '../fetch/mapLimit.ts';
import { type PullRequestFile, pullRequestFiles } from '../fetch/pullRequestFiles.ts';
import { gateFor } from '../fetch/requestGate.ts';
import { docsFromTarball } from '../fetch/treeDocs.ts';
import type { FetchedSource, PreviewTrigger, SourceConfig, SourceFile } from '../types.ts';
import { loadSnapshot } from './snapshots.ts';

export interface FetchPullRequestContext {
  sources: readonly SourceConfig[];
  dataDir: string;
  octokit: Octokit;
  github?: Pick<FetchGitHubOptions, 'retry' | 'gate' | 'maxFileBytes' | 'downloadTimeoutMs' | 'concurrency'>;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface PullRequestFetch {
  fetched: FetchedSource[];
  /** GitHub requests sent (every attempt and redirect hop). */
  requests: number;
  /** Sources whose docs the PR does not change (their pages are the live ones). */
  noDocsChange: string[];
  mode: 'changes' | 'tarball';
}

/** More changed files than this: the head's tarball instead of file by file. */
export const PREVIEW_TARBALL_ABOVE = 300;

/** Run `read`; a 404 becomes a GitHubReadError naming `what` and why it may be gone. */
async function unless404<T>(read: () => Promise<T>, what: string): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if ((err as { status?: unknown }).status !== 404) throw err;
    throw new GitHubReadError(`GitHub answered 404 for ${what}: it was deleted, or GITHUB_TOKEN cannot read it`, 404, { cause: err });
  }
}

export async function fetchPullRequest(trigger: PreviewTrigger, ctx: FetchPullRequestContext): Promise<PullRequestFetch> {
  const { pr } = trigger;
  if (trigger.action !== 'open') throw new Error(`fetchPullRequest reads an open pull request; ${pr.repo}#${pr.number} is being closed`);
  const log = ctx.log ?? (() => {});
  const sources = ctx.sources.filter((s) => trigger.sources.includes(s.id) && s.repo);
  const gone = trigger.sources.filter((id) => !sources.some((s) => s.id === id));
  if (gone.length) log(`${pr.repo}#${pr.number}: source(s) ${gone.join(', ')} are no longer GitHub sources in the sources file: not previewed`);
  const meter = new RequestMeter();
  const retry = { ...ctx.github?.retry, ...(ctx.signal ? { signal: ctx.signal } : {}), onRetry: (m: string) => log(`${pr.repo}#${pr.number}: ${m}`) };
  const call: CallContext = { octokit: ctx.octokit, gate: ctx.github?.gate ?? gateFor(ctx.octokit), meter, retry };
  const repoOf = (full: string) => ({ owner: full.split('/')[0]!, name: full.split('/')[1]! });
  const base = gitHubReader(call, repoOf(pr.repo));
  const head = gitHubReader(call, repoOf(pr.headRepo), ctx.github?.downloadTimeoutMs);
  const maxBytes = ctx.github?.maxFileBytes ?? MAX_DOC_BYTES;
  const headWhat = `the head ${pr.headRepo}@${pr.headSha.slice(0, 7)} of pull request ${pr.repo}#${pr.number}`;

  const list = await unless404(() => pullRequestFiles(base, pr.number, PREVIEW_TARBALL_ABOVE), `pull request ${pr.repo}#${pr.number}`);
  const snapshots = await Promise.all(sources.map((s) => loadSnapshot(ctx.dataDir, s)));
  const touches = (s: SourceConfig): boolean =>
    list.files.some((f) => isDocFile(f.path, s.paths) || (f.previousPath !== undefined && isDocFile(f.previousPath, s.paths)));
  const noDocsChange = list.complete ? sources.filter((s) => !touches(s)).map((s) => s.id) : [];
  for (const id of noDocsChange) log(`${pr.repo}#${pr.number} changes no file under the docs folders of ${id}: its preview equals the live pages`);
  const at = (s: SourceConfig, files: SourceFile[], skipped: FetchedSource['skipped'], renames: Record<string, string>, priv?: boolean): FetchedSource => ({
    source: s,
    sha: pr.headSha,
    ref: pr.baseRef,
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    ...(skipped?.length ? { skipped } : {}),
    ...(Object.keys(renames).length ? { renames } : {}),
    ...(priv !== undefined ? { private: priv } : {}),
  });

  if (!list.complete || snapshots.some((s) => !s)) {
    const why = list.complete
      ? `${sources.filter((_, i) => !snapshots[i]).map((s) => s.id)} has no live copy yet`
      : `more than ${PREVIEW_TARBALL_ABOVE} files changed`;
    log(`${pr.repo}#${pr.number}: reading the head's tarball (${why})`);
    const keep = (h: { path: string; size: number }): boolean => sources.some((s) => isDocFile(h.path, s.paths)) && h.size <= maxBytes;
    const got = await unless404(() => head.tarball(pr.headSha, keep), headWhat);
    const fetched = sources.map((s, i) => {
      const live = new Map((snapshots[i]?.files ?? []).map((f) => [f.path, f]));
      const files = got.files
        .filter((f) => isDocFile(f.path, s.paths))
        .map((f): SourceFile => {
          const same = live.get(f.path);
          const keepCommit = same?.lastCommit && Buffer.compare(Buffer.from(same.content), Buffer.from(f.content)) === 0;
          return { path: f.path, content: f.content, ...(keepCommit ? { lastCommit: same.lastCommit! } : {}) };
        });
      return at(s, files, docsFromTarball(s, got.headers, maxBytes).skipped, list.complete ? renamesIn(list.files, s) : {}, snapshots[i]?.private);
    });
    return { fetched, requests: meter.count.total, noDocsChange, mode: 'tarball' };
  }

  // Bytes already known, by blob sha: the live copies of renamed and copied files (a pure rename needs no request).
  const known = new Map<string, Uint8Array>();
  const previous = new Set(list.files.flatMap((f) => (f.previousPath === undefined ? [] : [f.previousPath])));
  for (const snap of snapshots) for (const f of snap!.files) if (previous.has(f.path)) known.set(gitBlobSha(f.content), f.content);
  const wanted = new Map<string, string>();
  for (const s of sources) {
    for (const f of list.files) {
      if (f.status !== 'removed' && f.sha && isDocFile(f.path, s.paths) && !known.has(f.sha)) wanted.set(f.sha, f.path);
    }
  }
  await mapLimit([...wanted], ctx.github?.concurrency ?? 4, async ([sha, path]) => {
    known.set(sha, await unless404(() => head.blob(sha, path), `${path} in ${headWhat}`));
  });
  const fetched = sources.map((s, i) => {
    const snap = snapshots[i]!;
    const files = new Map(snap.files.map((f) => [f.path, f]));
    const skipped = new Map((snap.skipped ?? []).map((k) => [k.path, k]));
    for (const f of list.files) {
      const old = f.previousPath !== undefined && isDocFile(f.previousPath, s.paths) ? files.get(f.previousPath) : undefined;
      if (f.previousPath !== undefined && f.status === 'renamed') {
        files.delete(f.previousPath);
        skipped.delete(f.previousPath);
      }
      if (!isDocFile(f.path, s.paths)) continue;
      files.delete(f.path);
      skipped.delete(f.path);
      if (f.status === 'removed' || !f.sha) continue;
      const content = known.get(f.sha)!;
      if (content.length > maxBytes) skipped.set(f.path, { path: f.path, reason: tooLargeReason(content.length, maxBytes) });
      else files.set(f.path, { path: f.path, content, ...(old?.lastCommit && gitBlobSha(old.content) === f.sha ? { lastCommit: old.lastCommit } : {}) });
    }
    return at(s, [...files.values()], [...skipped.values()], renamesIn(list.files, s), snap.private);
  });
  log(`${pr.repo}#${pr.number}: live copies + ${list.files.length} changed files (${wanted.size} read), ${meter.count.total} requests`);
  return { fetched, requests: meter.count.total, noDocsChange, mode: 'changes' };
}

/** Renames within the source's docs (new path → old path), as git saw them. */
function renamesIn(files: PullRequestFile[], s: SourceConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of files)
    if (f.status === 'renamed' && f.previousPath && isDocFile(f.path, s.paths) && isDocFile(f.previousPath, s.paths)) out[f.path] = f.previousPath;
  return out;
}
