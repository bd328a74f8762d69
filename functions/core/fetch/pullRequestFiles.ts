/**
 * The files a pull request changes (`GET /repos/{o}/{r}/pulls/{n}/files`, 100 a page, following the
 * `Link: rel="next"` header), each page one request through gitHubCall (gate, retries, meter).
 * GitHub lists at most 3,000 files; the caller says how many it can use and reading stops past that.
 */
import { IncompleteResponseError } from './errors.ts';
import { call } from './gitHubCall.ts';
import type { GitHubReader } from './gitHubReader.ts';

export interface PullRequestFile {
  path: string;
  /** added, removed, modified, renamed, copied, changed (mode only) or unchanged. */
  status: string;
  /** Blob sha of the head's content (also given for removed files: the old blob). */
  sha?: string;
  /** For renames (and copies): the path in the base. */
  previousPath?: string;
}

type Res = { status: number; headers: Record<string, string | number | undefined>; data: unknown };

/** GitHub's cap on the files a pull request lists. */
const GITHUB_MAX_FILES = 3000;

/** The PR's changed files; `complete: false` when there are more than `usable` (reading stopped) or GitHub's 3,000. */
export async function pullRequestFiles(reader: GitHubReader, number: number, usable: number): Promise<{ files: PullRequestFile[]; complete: boolean }> {
  const { ctx, label, base } = reader;
  const files: PullRequestFile[] = [];
  for (let page = 1; ; page++) {
    const { value } = await call(
      ctx,
      label,
      (signal) => ctx.octokit.rest.pulls.listFiles({ ...base, pull_number: number, per_page: 100, page, request: { signal } }) as Promise<Res>,
      (res) => {
        if (!Array.isArray(res.data)) throw new IncompleteResponseError(`GitHub sent an incomplete file list of pull request #${number} for ${label}`);
        const list = (res.data as Array<Record<string, unknown>>).map((f): PullRequestFile => {
          if (typeof f.filename !== 'string' || typeof f.status !== 'string') {
            throw new IncompleteResponseError(`GitHub sent an incomplete file list of pull request #${number} for ${label}`);
          }
          return {
            path: f.filename,
            status: f.status,
            ...(typeof f.sha === 'string' ? { sha: f.sha } : {}),
            ...(typeof f.previous_filename === 'string' ? { previousPath: f.previous_filename } : {}),
          };
        });
        return { list, next: /rel="next"/.test(String(res.headers.link ?? '')) };
      },
    );
    files.push(...value.list);
    if (files.length > usable) return { files, complete: false };
    if (!value.next || value.list.length === 0) return { files, complete: files.length < GITHUB_MAX_FILES };
  }
}
