import type { Octokit } from '@octokit/rest';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { IncompleteResponseError } from './errors.ts';
import { readTarball, type TarEntryHeader, type TarFile } from './readTarball.ts';
import { withRetry, type RetryOptions } from './withRetry.ts';

export interface TreeItem {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size: number;
}

/** The git blob id of `content` (what GitHub's trees list), to check a download is whole. */
export function gitBlobSha(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The few GitHub reads the fetch step makes for one repository, each retried by withRetry and checked
 * for the shape the API promises (a cut-short response is retried, not trusted).
 */
export function gitHubReader(octokit: Octokit, repo: { owner: string; name: string }, retry: RetryOptions = {}, downloadTimeoutMs = 300_000) {
  const label = `${repo.owner}/${repo.name}`;
  const base = { owner: repo.owner, repo: repo.name };
  const incomplete = (what: string): IncompleteResponseError => new IncompleteResponseError(`GitHub sent an incomplete ${what} for ${label}`);

  return {
    label,

    async defaultBranch(): Promise<string> {
      const data = await withRetry(label, async (signal) => (await octokit.rest.repos.get({ ...base, request: { signal } })).data, retry);
      if (typeof data?.default_branch !== 'string' || data.default_branch === '') throw incomplete('repository description');
      return data.default_branch;
    },

    /** The commit sha a branch, tag or sha names (only the sha is transferred). */
    async resolveCommit(ref: string): Promise<string> {
      return withRetry(label, async (signal) => {
        const { data } = await octokit.rest.repos.getCommit({ ...base, ref, mediaType: { format: 'sha' }, request: { signal } });
        // The `sha` media type answers the bare commit id: text, or bytes when no charset is given.
        const raw: unknown = data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : data;
        const sha = typeof raw === 'string' ? raw.trim() : (raw as { sha?: unknown } | undefined)?.sha;
        if (typeof sha !== 'string' || !SHA.test(sha)) throw incomplete(`commit id for ref "${ref}"`);
        return sha;
      }, retry);
    },

    async tree(sha: string): Promise<{ items: TreeItem[]; truncated: boolean }> {
      return withRetry(label, async (signal) => {
        const { data } = await octokit.rest.git.getTree({ ...base, tree_sha: sha, recursive: '1', request: { signal } });
        if (!Array.isArray(data?.tree)) throw incomplete(`file list of ${sha}`);
        const items = data.tree.map((e): TreeItem => {
          if (typeof e.path !== 'string' || typeof e.sha !== 'string' || typeof e.mode !== 'string') throw incomplete(`file list of ${sha}`);
          const type = e.type === 'tree' || e.type === 'commit' ? e.type : 'blob';
          return { path: e.path, mode: e.mode, type, sha: e.sha, size: typeof e.size === 'number' ? e.size : 0 };
        });
        return { items, truncated: data.truncated === true };
      }, retry);
    },

    /** One file's bytes by blob sha, checked against the sha. */
    async blob(sha: string, path: string): Promise<Buffer> {
      return withRetry(label, async (signal) => {
        const { data } = await octokit.rest.git.getBlob({ ...base, file_sha: sha, request: { signal } });
        if (typeof data?.content !== 'string') throw incomplete(`file ${path}`);
        const content = Buffer.from(data.content, data.encoding === 'utf-8' ? 'utf8' : 'base64');
        if (SHA.test(sha) && sha.length === 40 && gitBlobSha(content) !== sha) throw incomplete(`file ${path} (content does not match its sha)`);
        return content;
      }, retry);
    },

    /**
     * The repository at `sha` as one tarball (one API request however many files), keeping the files
     * `keep` accepts; `headers` lists every entry seen. The whole download is retried if cut short.
     */
    async tarball(sha: string, keep: (h: TarEntryHeader) => boolean, maxBytes?: number): Promise<{ files: TarFile[]; headers: TarEntryHeader[] }> {
      return withRetry(label, async (signal) => {
        const res = await octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
          ...base,
          ref: sha,
          request: { signal, parseSuccessResponseBody: false },
        });
        const body = res.data as unknown as WebReadableStream<Uint8Array> | null;
        if (!body) throw incomplete('tarball');
        const headers: TarEntryHeader[] = [];
        const opts = maxBytes === undefined ? {} : { maxBytes };
        const { files } = await readTarball(Readable.fromWeb(body), (h) => (headers.push(h), keep(h)), opts);
        return { files, headers };
      }, { ...retry, timeoutMs: downloadTimeoutMs });
    },
  };
}

export type GitHubReader = ReturnType<typeof gitHubReader>;
