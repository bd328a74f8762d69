import type { FetchedSource, SourceConfig } from '../types.ts';
import { gitBlobSha } from './gitHubReader.ts';
import { mapLimit } from './mapLimit.ts';
import type { Known, KnownFile, SyncEnv } from './syncTypes.ts';

const SHA = /^[0-9a-f]{40}$/;

/** Whether a snapshot was fetched for the same repository, branch and docs folders. */
export function sameSource(a: SourceConfig, b: SourceConfig): boolean {
  const repo = (s: SourceConfig): string => (s.repo ? `${s.repo.owner}/${s.repo.name}`.toLowerCase() : '');
  return repo(a) !== '' && repo(a) === repo(b) && (a.ref ?? null) === (b.ref ?? null) && JSON.stringify(a.paths) === JSON.stringify(b.paths);
}

/**
 * What we already have of a GitHub source: the caller's last good snapshot when it fits the source,
 * else the cache's manifest (contents from the blob cache; a few missing blobs are read by sha).
 * Last commits a snapshot lacks are taken from the manifest for files with the same content.
 * Undefined when there is nothing usable (or reading the manifest's files would cost more than a
 * fresh tarball).
 */
export async function knownState(source: SourceConfig, env: SyncEnv, previous?: FetchedSource): Promise<Known | undefined> {
  const manifest = await env.cache.manifest(source);
  const remembered = new Map(manifest?.files.map((f) => [`${f.path}\0${f.blob}`, f.lastCommit]));

  if (previous && sameSource(previous.source, source) && SHA.test(previous.sha)) {
    const files = new Map<string, KnownFile>();
    for (const f of previous.files) {
      const blob = gitBlobSha(f.content);
      const lastCommit = f.lastCommit ?? remembered.get(`${f.path}\0${blob}`);
      files.set(f.path, { blob, content: f.content, ...(lastCommit ? { lastCommit } : {}) });
    }
    const skipped = previous.skipped ?? (manifest?.sha === previous.sha ? manifest.skipped : []);
    return { sha: previous.sha, ref: previous.ref, files, skipped, from: 'snapshot' };
  }

  if (!manifest || !SHA.test(manifest.sha)) return undefined;
  const files = new Map<string, KnownFile>();
  const missing: Array<{ path: string; blob: string }> = [];
  for (const f of manifest.files) {
    const content = await env.cache.readBlob(f.blob);
    if (content) files.set(f.path, { blob: f.blob, content, ...(f.lastCommit ? { lastCommit: f.lastCommit } : {}) });
    else missing.push(f);
  }
  if (missing.length > env.tarballAbove) return undefined;
  const contents = await mapLimit(missing, env.concurrency, (f) => env.reader.blob(f.blob, f.path));
  for (const [i, f] of missing.entries()) {
    await env.cache.writeBlob(f.blob, contents[i]!);
    const lastCommit = remembered.get(`${f.path}\0${f.blob}`);
    files.set(f.path, { blob: f.blob, content: contents[i]!, ...(lastCommit ? { lastCommit } : {}) });
  }
  return { sha: manifest.sha, ref: manifest.ref, files, skipped: manifest.skipped ?? [], from: 'cache' };
}
