import type { SourceConfig } from '../types.ts';
import { coldSync } from './fetchGitHubSource.ts';
import { gitBlobSha } from './gitHubReader.ts';
import { mapLimit } from './mapLimit.ts';
import type { KnownFile, SourceSync, SyncEnv, SyncMode } from './syncTypes.ts';
import { toSync } from './syncTypes.ts';
import { docsFromTree } from './treeDocs.ts';

/**
 * Read a source at a commit from its tree listing, downloading only the files whose blob sha we do
 * not have (in `have`, or in the blob cache unless it is ignored): a few one by one, many from one
 * tarball. A truncated listing (huge repository) reads the whole source from the tarball instead.
 */
export async function treeSync(
  source: SourceConfig,
  env: SyncEnv,
  at: { sha: string; ref: string },
  have: { byBlob?: ReadonlyMap<string, Uint8Array> } = {},
  mode: SyncMode = 'cold',
): Promise<SourceSync> {
  const { reader } = env;
  const tree = await reader.tree(at.sha);
  if (tree.truncated) return { ...(await coldSync(source, { ...env, strategy: 'tarball' }, at, { trustTarball: true })), mode };
  const { wanted, skipped } = docsFromTree(source, `${reader.label}@${at.ref}`, tree, env.maxFileBytes);

  return toSync(source, at, await readBlobs(env, at.sha, wanted, have.byBlob), skipped, mode);
}

/**
 * The contents of `wanted` files (path + blob sha) at commit `sha`: from `have`, the blob cache
 * (unless ignored), then GitHub — one tarball when more than `tarballAbove` are unknown, else blob
 * by blob. Every download is checked against its sha and stored in the cache.
 */
export async function readBlobs(
  env: SyncEnv,
  sha: string,
  wanted: ReadonlyArray<{ path: string; sha: string }>,
  have?: ReadonlyMap<string, Uint8Array>,
): Promise<Map<string, KnownFile>> {
  const files = new Map<string, KnownFile>();
  let unknown: Array<{ path: string; sha: string }> = [];
  for (const w of wanted) {
    const content = have?.get(w.sha) ?? (env.useCache ? await env.cache.readBlob(w.sha) : undefined);
    if (content) files.set(w.path, { blob: w.sha, content });
    else unknown.push(w);
  }
  const store = async (path: string, blob: string, content: Uint8Array): Promise<void> => {
    files.set(path, { blob, content });
    await env.cache.writeBlob(blob, content);
  };
  if (unknown.length > env.tarballAbove && env.strategy !== 'blobs') {
    const shaOf = new Map(unknown.map((w) => [w.path, w.sha]));
    const got = await env.reader
      .tarball(sha, (h) => shaOf.has(h.path), env.maxTarballBytes)
      .catch((err: unknown) => {
        if (env.reader.ctx.retry.signal?.aborted) throw err;
        return undefined; // read them one by one instead
      });
    // Files the archive leaves out or rewrites (export-ignore / export-subst) do not match: read below.
    for (const f of got?.files ?? []) {
      const blob = gitBlobSha(f.content);
      if (blob === shaOf.get(f.path)) await store(f.path, blob, f.content);
    }
    unknown = unknown.filter((w) => !files.has(w.path));
  }
  const contents = await mapLimit(unknown, env.concurrency, (w) => env.reader.blob(w.sha, w.path));
  for (const [i, w] of unknown.entries()) await store(w.path, w.sha, contents[i]!);
  return files;
}
