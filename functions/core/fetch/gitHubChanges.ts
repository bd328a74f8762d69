import { IncompleteResponseError } from './errors.ts';
import { call } from './gitHubCall.ts';
import { gitBlobSha, type GitHubReader } from './gitHubReader.ts';

type Res = { status: number; url?: string; headers: Record<string, string | number | undefined>; data: unknown };

/** One path as the contents API describes it at a commit. */
export type ContentsEntry = { kind: 'file'; sha: string; size: number; content?: Buffer } | { kind: 'symlink' | 'submodule' | 'dir' | 'missing' };

export interface CompareFile {
  path: string;
  status: string;
  /** Blob sha of the new content (absent for removed files). */
  sha?: string;
  previousPath?: string;
}

export interface Comparison {
  /** `ahead` or `identical`: `files` is exactly what changed from base to head. */
  status: 'ahead' | 'identical' | 'behind' | 'diverged';
  files: CompareFile[];
  /** False when GitHub cut the list at 300 files: it cannot be used as a diff. */
  complete: boolean;
  /** The commits from base to head, oldest first (GitHub lists up to 250), and how many there are in all. */
  commits: CompareCommit[];
  totalCommits: number;
}

export interface CompareCommit {
  sha: string;
  /** The first line of the message. */
  message: string;
  author?: string;
  date?: string;
}

function commitsOf(data: { commits?: unknown; total_commits?: unknown }): { commits: CompareCommit[]; totalCommits: number } {
  const list = Array.isArray(data.commits)
    ? (data.commits as Array<{ sha?: unknown; commit?: { message?: unknown; author?: { name?: unknown; date?: unknown } } }>)
    : [];
  const commits = list.flatMap((c): CompareCommit[] => {
    if (typeof c.sha !== 'string') return [];
    const author = c.commit?.author?.name;
    const date = c.commit?.author?.date;
    return [
      {
        sha: c.sha,
        message: String(c.commit?.message ?? '')
          .split('\n')[0]!
          .slice(0, 200),
        ...(typeof author === 'string' ? { author } : {}),
        ...(typeof date === 'string' ? { date } : {}),
      },
    ];
  });
  return { commits, totalCommits: typeof data.total_commits === 'number' ? data.total_commits : commits.length };
}

const notFound = (err: unknown): boolean => (err as { status?: unknown } | undefined)?.status === 404;

/** The contents and compare reads (see gitHubReader.ts for the rest), for incremental updates. */
export function gitHubChanges(reader: GitHubReader) {
  const { ctx, label, base } = reader;
  const incomplete = (what: string): IncompleteResponseError => new IncompleteResponseError(`GitHub sent an incomplete ${what} for ${label}`);

  return {
    /**
     * A file at a commit through the contents API: one request with the bytes (base64, up to 1 MB;
     * bigger files come without content: read the blob). A symbolic link GitHub follows is
     * answered under the target's path: reported as a link.
     */
    async contents(path: string, ref: string): Promise<ContentsEntry> {
      try {
        const { value } = await call(
          ctx,
          label,
          (signal) => ctx.octokit.rest.repos.getContent({ ...base, path, ref, request: { signal } }) as Promise<Res>,
          (res): ContentsEntry => {
            if (Array.isArray(res.data)) return { kind: 'dir' };
            const d = res.data as { type?: unknown; path?: unknown; sha?: unknown; size?: unknown; content?: unknown; encoding?: unknown } | undefined;
            if (d?.type === 'symlink' || (d?.type === 'file' && d.path !== path)) return { kind: 'symlink' };
            if (d?.type === 'submodule') return { kind: 'submodule' };
            if (d?.type !== 'file' || typeof d.sha !== 'string' || typeof d.size !== 'number') throw incomplete(`description of ${path}`);
            if (d.encoding !== 'base64' || typeof d.content !== 'string') return { kind: 'file', sha: d.sha, size: d.size };
            const content = Buffer.from(d.content, 'base64');
            if (gitBlobSha(content) !== d.sha) throw incomplete(`file ${path} (content does not match its sha)`);
            return { kind: 'file', sha: d.sha, size: d.size, content };
          },
        );
        return value;
      } catch (err) {
        if (notFound(err) || notFound((err as { cause?: unknown }).cause)) return { kind: 'missing' };
        throw err;
      }
    },

    /** What changed from `baseSha` to `head` (compare API); undefined when GitHub cannot compare them (404). */
    async compare(baseSha: string, head: string): Promise<Comparison | undefined> {
      try {
        const { value } = await call(
          ctx,
          label,
          (signal) => ctx.octokit.rest.repos.compareCommitsWithBasehead({ ...base, basehead: `${baseSha}...${head}`, request: { signal } }) as Promise<Res>,
          (res): Comparison => {
            const d = res.data as { status?: unknown; files?: unknown; commits?: unknown; total_commits?: unknown } | undefined;
            const status = d?.status;
            if (status !== 'ahead' && status !== 'identical' && status !== 'behind' && status !== 'diverged')
              throw incomplete(`comparison ${baseSha.slice(0, 7)}...${head.slice(0, 7)}`);
            const list = Array.isArray(d?.files) ? (d.files as Array<Record<string, unknown>>) : [];
            const files = list.map((f): CompareFile => {
              if (typeof f.filename !== 'string' || typeof f.status !== 'string') throw incomplete(`comparison ${baseSha.slice(0, 7)}...${head.slice(0, 7)}`);
              return {
                path: f.filename,
                status: f.status,
                ...(typeof f.sha === 'string' && f.status !== 'removed' ? { sha: f.sha } : {}),
                ...(typeof f.previous_filename === 'string' ? { previousPath: f.previous_filename } : {}),
              };
            });
            // Pages (Link: next) are for commits; the files are all on the first page, 300 at most.
            return { status, files, complete: files.length < 300, ...commitsOf(d!) };
          },
        );
        return value;
      } catch (err) {
        if (notFound(err) || notFound((err as { cause?: unknown }).cause)) return undefined;
        throw err;
      }
    },
  };
}
