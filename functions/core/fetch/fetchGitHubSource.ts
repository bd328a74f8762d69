import type { Octokit } from '@octokit/rest';
import type { SourceConfig } from '../types.ts';
import { isDocFile, MAX_DOC_BYTES, type FetchResult } from './docFiles.ts';
import { TarballTooLargeError } from './errors.ts';
import { openFetchCache } from './fetchCache.ts';
import { RequestMeter } from './gitHubCall.ts';
import { gitHubChanges } from './gitHubChanges.ts';
import { gitBlobSha, gitHubReader } from './gitHubReader.ts';
import { gateFor, type RequestGate } from './requestGate.ts';
import type { KnownFile, SourceSync, SyncEnv } from './syncTypes.ts';
import { toSync } from './syncTypes.ts';
import { checkFolders, docsFromTarball, exportAttributes, isGitattributes } from './treeDocs.ts';
import { treeSync } from './treeSync.ts';
import type { RetryOptions } from './withRetry.ts';

export interface FetchGitHubOptions {
  octokit: Octokit;
  /** Blob requests in flight for one source (default 4; the token's gate caps the total at 4). */
  concurrency?: number;
  retry?: RetryOptions;
  /**
   * `auto` (default) and `tarball` read a whole source from one tarball (sha and branch included);
   * `blobs` resolves the ref, lists the tree and reads file by file. Incremental updates read the
   * few changed files one by one and switch to a tarball above `tarballAbove` unknown files.
   */
  strategy?: 'auto' | 'tarball' | 'blobs';
  tarballAbove?: number;
  /** A tarball larger than this (unpacked) is abandoned for file-by-file reads (default 200 MB). */
  maxTarballBytes?: number;
  /** Longest a tarball download may take before it is retried (default 300 000 ms). */
  downloadTimeoutMs?: number;
  maxFileBytes?: number;
  /** Requests in flight for the token (default: the one gate shared by every user of `octokit`). */
  gate?: RequestGate;
}

/** The environment one source is read with (see SyncEnv); `meter` counts its requests. */
export function syncEnv(
  source: SourceConfig,
  o: Omit<FetchGitHubOptions, 'octokit'> & {
    octokit: Octokit;
    meter: RequestMeter;
    cache: SyncEnv['cache'];
    useCache: boolean;
    signal?: AbortSignal;
    onRetry?: (m: string) => void;
  },
): SyncEnv {
  const retry: RetryOptions = { ...o.retry, ...(o.signal ? { signal: o.signal } : {}), ...(o.onRetry && !o.retry?.onRetry ? { onRetry: o.onRetry } : {}) };
  const ctx = { octokit: o.octokit, gate: o.gate ?? gateFor(o.octokit), meter: o.meter, retry, ...(o.useCache ? { validators: o.cache } : {}) };
  const reader = gitHubReader(ctx, source.repo!, o.downloadTimeoutMs);
  return {
    reader,
    changes: gitHubChanges(reader),
    cache: o.cache,
    useCache: o.useCache,
    strategy: o.strategy ?? 'auto',
    tarballAbove: o.tarballAbove ?? 5,
    maxTarballBytes: o.maxTarballBytes ?? 200 * 1024 * 1024,
    maxFileBytes: o.maxFileBytes ?? MAX_DOC_BYTES,
    concurrency: o.concurrency ?? 4,
  };
}

/**
 * Read a source whole, from one tarball: `at` a known commit, else at the source's branch (default:
 * the repository's default branch), the commit id taken from the archive and the branch name from
 * GitHub's redirect, so no other request is needed. Only `.md`/`.markdown` files under `paths`; no
 * symlinks, no submodules, nothing over 5 MB (those are listed in `skipped`). When a
 * `.gitattributes` may make the archive differ from git (export-ignore/-subst), the tree is listed
 * and the files that differ are read as blobs. Every file lands in the blob cache.
 */
export async function coldSync(source: SourceConfig, env: SyncEnv, at?: { sha: string; ref: string }, { trustTarball = false } = {}): Promise<SourceSync> {
  const { reader } = env;
  if (env.strategy === 'blobs') {
    const ref = at?.ref ?? source.ref ?? (await reader.defaultBranch());
    return treeSync(source, env, { sha: at?.sha ?? (await reader.resolveCommit(ref)).sha, ref });
  }
  const keep = (h: { path: string; size: number }): boolean => isGitattributes(h.path) || (isDocFile(h.path, source.paths) && h.size <= env.maxFileBytes);
  let got: Awaited<ReturnType<typeof reader.tarball>>;
  try {
    got = await reader.tarball(at?.sha ?? source.ref, keep, env.maxTarballBytes);
  } catch (err) {
    // A 404 says little (no repo? no branch? no commits?): the commit lookup says which, with the fix.
    if ((err as { status?: unknown }).status === 404) await reader.resolveCommit(at?.sha ?? source.ref ?? 'HEAD');
    if (!((err as { cause?: unknown }).cause instanceof TarballTooLargeError)) throw err;
    const ref = at?.ref ?? source.ref ?? (await reader.defaultBranch());
    return treeSync(source, { ...env, strategy: 'blobs' }, { sha: at?.sha ?? (await reader.resolveCommit(ref)).sha, ref });
  }
  const ref = at?.ref ?? source.ref ?? got.branch ?? (await reader.defaultBranch());
  const sha = at?.sha ?? got.sha ?? (await reader.resolveCommit(ref)).sha;
  const { skipped, folders } = docsFromTarball(source, got.headers, env.maxFileBytes);
  checkFolders(source, `${reader.label}@${ref}`, folders);
  const attributes = got.files.filter((f) => isGitattributes(f.path));
  if (!trustTarball && attributes.some((f) => exportAttributes(f.content))) {
    // The archive may leave files out or rewrite them: trust the tree, take from the tarball what matches it.
    const fromTar = new Map(got.files.map((f) => [gitBlobSha(f.content), f.content]));
    return treeSync(source, { ...env, strategy: 'blobs' }, { sha, ref }, { byBlob: fromTar });
  }
  const files = new Map<string, KnownFile>();
  for (const f of got.files) {
    if (isGitattributes(f.path) && !isDocFile(f.path, source.paths)) continue;
    const blob = gitBlobSha(f.content);
    files.set(f.path, { blob, content: f.content });
    await env.cache.writeBlob(blob, f.content);
  }
  return toSync(source, { sha, ref }, files, skipped, 'cold');
}

/**
 * Read a GitHub source's markdown at one commit, whole (see coldSync). Paths are relative to the
 * repository root. For the incremental, cached and metered fetch of many sources use fetchSources.
 */
export async function fetchGitHubSource(source: SourceConfig, options: FetchGitHubOptions): Promise<FetchResult> {
  if (!source.repo) throw new Error(`source "${source.id}" is a local folder, not a GitHub repository; use fetchLocalSource`);
  const env = syncEnv(source, { ...options, meter: new RequestMeter(), cache: await openFetchCache(), useCache: false });
  return (await coldSync(source, env)).result;
}
