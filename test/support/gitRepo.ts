/**
 * A real bare git repository driven through the `git` CLI, for the fake GitHub server and any test
 * that needs real commits, trees and blobs (so every sha is a real git sha).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** File content, or a symbolic link / submodule (gitlink) entry. */
export type FileSpec = string | Uint8Array | { symlink: string } | { submodule: string };

export interface Person {
  name: string;
  email: string;
  /** GitHub login shown as the commit's `author`; without it the API's `author` is null. */
  login?: string;
  date?: string | Date;
}

export interface CommitOptions {
  files?: Record<string, FileSpec>;
  delete?: string[];
  /** Branch to commit to (default: the default branch). A new branch starts from the default branch. */
  branch?: string;
  message?: string;
  author?: Person;
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  size?: number;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
const ZERO = '0000000000000000000000000000000000000000';

/** Run git in `gitDir`; resolves stdout, rejects with git's stderr. */
export function git(gitDir: string, args: string[], opts: { input?: string | Uint8Array; env?: Record<string, string> } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, ...args], { env: { ...process.env, ...GIT_ENV, ...opts.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`git ${args[0]} failed (exit ${code}): ${Buffer.concat(err).toString().trim()}`));
    });
    child.stdin.on('error', () => {}); // git may exit before reading all input; the exit code tells
    child.stdin.end(opts.input ?? '');
  });
}

const isoUtc = (d: string): string => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
const safeRef = (ref: string): boolean => ref !== '' && !ref.startsWith('-') && !ref.includes('\0');

export class GitRepo {
  readonly dir: string;
  readonly defaultBranch: string;
  #scratch = 0;

  private constructor(dir: string, defaultBranch: string) {
    this.dir = dir;
    this.defaultBranch = defaultBranch;
  }

  /** Create an empty bare repository at `dir`. */
  static async init(dir: string, defaultBranch = 'main'): Promise<GitRepo> {
    await git(dir, ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`]);
    return new GitRepo(dir, defaultBranch);
  }

  /** Write a commit (files added/replaced, paths deleted) on a branch; returns the commit sha. */
  async commit(opts: CommitOptions): Promise<string> {
    const branch = opts.branch ?? this.defaultBranch;
    const parent = (await this.resolve(`refs/heads/${branch}`)) ?? (await this.resolve(`refs/heads/${this.defaultBranch}`));
    const work = await mkdtemp(join(tmpdir(), 'git-commit-'));
    try {
      const index = { GIT_INDEX_FILE: join(work, 'index') };
      if (parent) await git(this.dir, ['read-tree', parent], { env: index });
      const entries = Object.entries(opts.files ?? {});
      const contents = entries.map(([, spec]) =>
        typeof spec === 'string' || spec instanceof Uint8Array ? spec : 'symlink' in spec ? spec.symlink : undefined,
      );
      const blobPaths: string[] = [];
      for (const [i, c] of contents.entries()) {
        if (c === undefined) continue;
        const p = join(work, `blob-${this.#scratch++}-${i}`);
        await writeFile(p, c);
        blobPaths.push(p);
      }
      const shas = blobPaths.length
        ? (await git(this.dir, ['hash-object', '-w', '--stdin-paths'], { input: blobPaths.join('\n') + '\n' })).toString().trim().split('\n')
        : [];
      let next = 0;
      const records = entries.map(([path, spec], i) => {
        if (contents[i] === undefined) return `160000 ${(spec as { submodule: string }).submodule}\t${path}`;
        const mode = typeof spec === 'object' && 'symlink' in spec ? '120000' : '100644';
        return `${mode} ${shas[next++]}\t${path}`;
      });
      for (const path of opts.delete ?? []) records.push(`0 ${ZERO}\t${path}`);
      if (records.length) await git(this.dir, ['update-index', '-z', '--index-info'], { input: records.join('\0') + '\0', env: index });
      const tree = (await git(this.dir, ['write-tree'], { env: index })).toString().trim();
      const who = opts.author ?? { name: 'Docs Writer', email: 'writer@example.com' };
      const date = who.date === undefined ? new Date().toISOString() : new Date(who.date).toISOString();
      const env = {
        GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email, GIT_COMMITTER_DATE: date,
      };
      const args = ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', opts.message ?? 'Update docs'];
      const sha = (await git(this.dir, args, { env })).toString().trim();
      await git(this.dir, ['update-ref', `refs/heads/${branch}`, sha]);
      return sha;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** The commit sha a branch, tag or sha names, or undefined. */
  async resolve(ref: string): Promise<string | undefined> {
    if (!safeRef(ref)) return undefined;
    const out = await git(this.dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).catch(() => undefined);
    return out?.toString().trim() || undefined;
  }

  /** The tree sha a tree, commit, branch or tag names, or undefined. */
  async resolveTree(treeish: string): Promise<string | undefined> {
    if (!safeRef(treeish)) return undefined;
    const out = await git(this.dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${treeish}^{tree}`]).catch(() => undefined);
    return out?.toString().trim() || undefined;
  }

  async objectType(sha: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{4,40}$/.test(sha)) return undefined;
    const out = await git(this.dir, ['cat-file', '-t', sha]).catch(() => undefined);
    return out?.toString().trim();
  }

  /** `git ls-tree` of a tree sha: recursive lists every blob and sub-tree. */
  async lsTree(tree: string, recursive: boolean): Promise<TreeEntry[]> {
    const out = await git(this.dir, ['ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), tree]);
    return out
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode, type, sha, size] = line.slice(0, tab).split(/ +/) as [string, TreeEntry['type'], string, string];
        const entry: TreeEntry = { path: line.slice(tab + 1), mode, type, sha };
        if (type === 'blob') entry.size = Number(size);
        return entry;
      });
  }

  async readBlob(sha: string): Promise<Buffer> {
    return git(this.dir, ['cat-file', 'blob', sha]);
  }

  /** Commits reachable from `sha`, newest first, optionally only those touching `path`. */
  async log(sha: string, opts: { path?: string; skip?: number; limit?: number } = {}): Promise<CommitInfo[]> {
    const format = '%H%x1f%T%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI%x1f%B%x1e';
    const args = ['log', `--format=${format}`, `--skip=${opts.skip ?? 0}`, ...(opts.limit ? [`--max-count=${opts.limit}`] : []), sha, '--'];
    if (opts.path) args.push(opts.path);
    const out = (await git(this.dir, args)).toString('utf8');
    return out
      .split('\x1e')
      .map((r) => r.replace(/^\n/, ''))
      .filter(Boolean)
      .map((r) => {
        const [h, t, p, an, ae, ad, cn, ce, cd, msg] = r.split('\x1f') as string[] as [string, string, string, string, string, string, string, string, string, string];
        return {
          sha: h, tree: t, parents: p ? p.split(' ') : [],
          author: { name: an, email: ae, date: isoUtc(ad) },
          committer: { name: cn, email: ce, date: isoUtc(cd) },
          message: msg.replace(/\n+$/, ''),
        };
      });
  }

  async countCommits(sha: string, path?: string): Promise<number> {
    const out = await git(this.dir, ['rev-list', '--count', sha, '--', ...(path ? [path] : [])]);
    return Number(out.toString().trim());
  }

  /** An uncompressed tar of a commit, every entry under `prefix` (e.g. `owner-repo-abc1234/`). */
  async archive(sha: string, prefix: string): Promise<Buffer> {
    return git(this.dir, ['archive', '--format=tar', `--prefix=${prefix}`, sha]);
  }
}
