import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { IncompleteResponseError } from './errors.ts';
import { call, type CallContext, type CallOptions } from './gitHubCall.ts';
import { readTarball, type TarEntryHeader, type TarFile } from './readTarball.ts';

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
type Res = { status: number; url?: string; headers: Record<string, string | number | undefined>; data: unknown };

/**
 * The REST reads the fetch step makes for one repository, each through `call` (gate, retries,
 * meter, conditional requests) and checked for the shape the API promises: a cut-short response is
 * retried, not trusted. The compare and contents reads live in gitHubChanges.ts.
 */
export function gitHubReader(ctx: CallContext, repo: { owner: string; name: string }, downloadTimeoutMs = 300_000) {
  const label = `${repo.owner}/${repo.name}`;
  const base = { owner: repo.owner, repo: repo.name };
  const incomplete = (what: string): IncompleteResponseError => new IncompleteResponseError(`GitHub sent an incomplete ${what} for ${label}`);
  const get = <T>(
    send: (signal: AbortSignal, headers: Record<string, string>) => Promise<Res>,
    read: (res: Res, signal: AbortSignal) => Promise<T> | T,
    options?: CallOptions<T>,
  ) => call(ctx, label, send, read, options);

  return {
    label,
    base,
    ctx,

    /** The default branch's name; a conditional request (free when nothing changed). */
    async defaultBranch(): Promise<string> {
      const { value } = await get(
        (signal, headers) => ctx.octokit.rest.repos.get({ ...base, headers, request: { signal } }) as Promise<Res>,
        (res) => {
          const name = (res.data as { default_branch?: unknown } | undefined)?.default_branch;
          if (typeof name !== 'string' || name === '') throw incomplete('repository description');
          return name;
        },
        { cacheKey: `GET /repos/${label.toLowerCase()}` },
      );
      return value;
    },

    /**
     * The commit a branch, tag or sha names (only the sha is transferred). Given the sha we have,
     * GitHub answers 304 while the ref has not moved: `changed: false`, not charged to the rate limit.
     */
    async resolveCommit(ref: string, known?: string): Promise<{ sha: string; changed: boolean }> {
      const { value, notModified } = await get(
        (signal, headers) => ctx.octokit.rest.repos.getCommit({ ...base, ref, mediaType: { format: 'sha' }, headers, request: { signal } }) as Promise<Res>,
        (res) => {
          // The `sha` media type answers the bare commit id: text, or bytes when no charset is given.
          const raw: unknown = res.data instanceof ArrayBuffer ? Buffer.from(res.data).toString('utf8') : res.data;
          const sha = typeof raw === 'string' ? raw.trim() : (raw as { sha?: unknown } | undefined)?.sha;
          if (typeof sha !== 'string' || !SHA.test(sha)) throw incomplete(`commit id for ref "${ref}"`);
          return sha;
        },
        known ? { etag: `"${known}"`, notModifiedValue: known } : {},
      );
      return { sha: value, changed: !notModified || value !== known };
    },

    async tree(sha: string): Promise<{ items: TreeItem[]; truncated: boolean }> {
      const { value } = await get(
        (signal) => ctx.octokit.rest.git.getTree({ ...base, tree_sha: sha, recursive: '1', request: { signal } }) as Promise<Res>,
        (res) => {
          const data = res.data as { tree?: Array<Record<string, unknown>>; truncated?: unknown } | undefined;
          if (!Array.isArray(data?.tree)) throw incomplete(`file list of ${sha}`);
          const items = data.tree.map((e): TreeItem => {
            if (typeof e.path !== 'string' || typeof e.sha !== 'string' || typeof e.mode !== 'string') throw incomplete(`file list of ${sha}`);
            const type = e.type === 'tree' || e.type === 'commit' ? e.type : 'blob';
            return { path: e.path, mode: e.mode, type, sha: e.sha, size: typeof e.size === 'number' ? e.size : 0 };
          });
          return { items, truncated: data.truncated === true };
        },
      );
      return value;
    },

    /** One file's bytes by blob sha, checked against the sha. */
    async blob(sha: string, path: string): Promise<Buffer> {
      const { value } = await get(
        (signal) => ctx.octokit.rest.git.getBlob({ ...base, file_sha: sha, request: { signal } }) as Promise<Res>,
        (res) => {
          const data = res.data as { content?: unknown; encoding?: unknown } | undefined;
          if (typeof data?.content !== 'string') throw incomplete(`file ${path}`);
          const content = Buffer.from(data.content, data.encoding === 'utf-8' ? 'utf8' : 'base64');
          if (SHA.test(sha) && sha.length === 40 && gitBlobSha(content) !== sha) throw incomplete(`file ${path} (content does not match its sha)`);
          return content;
        },
      );
      return value;
    },

    /**
     * The repository at `ref` (a sha or branch; undefined = the default branch) as one tarball: one
     * API request (its 302 carries the rate-limit headers) plus the codeload download, however many
     * files. Keeps the files `keep` accepts; `headers` lists every entry. `sha` comes from the
     * archive (git puts the commit id in its pax header) and `branch` from the redirect
     * (`…/legacy.tar.gz/refs/heads/<branch>`). The whole download is retried if cut short.
     */
    async tarball(
      ref: string | undefined,
      keep: (h: TarEntryHeader) => boolean,
      maxBytes?: number,
    ): Promise<{ files: TarFile[]; headers: TarEntryHeader[]; sha?: string; branch?: string }> {
      const route = ref === undefined ? 'GET /repos/{owner}/{repo}/tarball' : 'GET /repos/{owner}/{repo}/tarball/{ref}';
      const fetchImpl = (ctx.octokit.request.endpoint.DEFAULTS.request as { fetch?: typeof fetch } | undefined)?.fetch ?? fetch;
      const location = (res: { status: number; headers: Res['headers'] }): string | undefined =>
        res.status >= 300 && res.status < 400 && res.headers.location ? String(res.headers.location) : undefined;
      const { value } = await get(
        (signal) =>
          ctx.octokit.request(route, {
            ...base,
            ...(ref === undefined ? {} : { ref }),
            request: { signal, redirect: 'manual', parseSuccessResponseBody: false },
          }) as Promise<Res>,
        async (res, signal) => {
          let body = res.data as WebReadableStream<Uint8Array> | null;
          const to = location(res);
          if (to) {
            await body?.cancel().catch(() => {});
            // codeload: not the API (no rate limit, no token needed: the URL is the credential).
            const userAgent = String(ctx.octokit.request.endpoint.DEFAULTS.headers['user-agent'] ?? 'docs-sync');
            const download = await fetchImpl(to, { signal, headers: { 'user-agent': userAgent } });
            if (!download.ok || !download.body) {
              await download.body?.cancel().catch(() => {});
              throw incomplete(`tarball (the download answered ${download.status})`);
            }
            body = download.body as WebReadableStream<Uint8Array>;
          }
          if (!body) throw incomplete('tarball');
          const headers: TarEntryHeader[] = [];
          const got = await readTarball(Readable.fromWeb(body), (h) => (headers.push(h), keep(h)), maxBytes === undefined ? {} : { maxBytes });
          const sha = got.comment && /^[0-9a-f]{40}$/.test(got.comment.trim()) ? got.comment.trim() : undefined;
          const branch = to ? /\/legacy\.tar\.gz\/refs\/heads\/(.+)$/.exec(new URL(to).pathname)?.[1] : undefined;
          return { files: got.files, headers, ...(sha ? { sha } : {}), ...(branch ? { branch: decodeURIComponent(branch) } : {}) };
        },
        { timeoutMs: downloadTimeoutMs, hops: (res) => (location(res) ? 1 : 0) },
      );
      return value;
    },
  };
}

export type GitHubReader = ReturnType<typeof gitHubReader>;
