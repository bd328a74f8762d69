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

/** One path changed between two commits (`git diff-tree -M`): status A, M, D, R (renamed) or T (type changed). */
export interface DiffEntry {
  status: 'A' | 'M' | 'D' | 'R' | 'T';
  path: string;
  /** For renames: the old path. */
  oldPath?: string;
  oldMode: string;
  newMode: string;
  oldSha: string;
  newSha: string;
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
  #defaultBranch: string;
  #scratch = 0;

  private constructor(dir: string, defaultBranch: string) {
    this.dir = dir;
    this.#defaultBranch = defaultBranch;
  }

  get defaultBranch(): string {
    return this.#defaultBranch;
  }

  /** Rename the default branch (as on GitHub: Settings → Branches → rename). */
  async renameDefaultBranch(to: string): Promise<void> {
    await git(this.dir, ['branch', '-m', this.#defaultBranch, to]);
    await git(this.dir, ['symbolic-ref', 'HEAD', `refs/heads/${to}`]);
    this.#defaultBranch = to;
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
        ? (await git(this.dir, ['hash-object', '-w', '--stdin-paths'], { input: `${blobPaths.join('\n')}\n` })).toString().trim().split('\n')
        : [];
      let next = 0;
      const records = entries.map(([path, spec], i) => {
        if (contents[i] === undefined) return `160000 ${(spec as { submodule: string }).submodule}\t${path}`;
        const mode = typeof spec === 'object' && 'symlink' in spec ? '120000' : '100644';
        return `${mode} ${shas[next++]}\t${path}`;
      });
      for (const path of opts.delete ?? []) records.push(`0 ${ZERO}\t${path}`);
      if (records.length) await git(this.dir, ['update-index', '-z', '--index-info'], { input: `${records.join('\0')}\0`, env: index });
      const tree = (await git(this.dir, ['write-tree'], { env: index })).toString().trim();
      const who = opts.author ?? { name: 'Docs Writer', email: 'writer@example.com' };
      const date = who.date === undefined ? new Date().toISOString() : new Date(who.date).toISOString();
      const env = {
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
        GIT_COMMITTER_DATE: date,
      };
      const args = ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', opts.message ?? 'Update docs'];
      const sha = (await git(this.dir, args, { env })).toString().trim();
      await git(this.dir, ['update-ref', `refs/heads/${branch}`, sha]);
      return sha;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** Point tag `name` at `ref` (a branch, tag or sha), moving it if it exists: a lightweight tag, as `git tag -f`. */
  async tag(name: string, ref = `refs/heads/${this.defaultBranch}`): Promise<string> {
    const sha = await this.resolve(ref);
    if (!sha || !safeRef(name)) throw new Error(`cannot tag ${name}: ${ref} names no commit`);
    await git(this.dir, ['update-ref', `refs/tags/${name}`, sha]);
    return sha;
  }

  /** Delete a tag or branch (`refs/tags/v1`, `refs/heads/x`). */
  async deleteRef(ref: string): Promise<void> {
    await git(this.dir, ['update-ref', '-d', ref]);
  }

  /** Refs whose full names start with `prefix` (`refs/tags/v`), sorted by name, with the commit each names. */
  async refs(prefix: string): Promise<Array<{ ref: string; sha: string }>> {
    if (!safeRef(prefix)) return [];
    const out = await git(this.dir, ['for-each-ref', '--format=%(refname) %(objectname)', '--sort=refname']);
    return out
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref, sha] = line.split(' ') as [string, string];
        return { ref, sha };
      })
      .filter((r) => r.ref.startsWith(prefix));
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

  /** The entry at `path` in a commit (a file, link, submodule or folder), or undefined. `path` '' is the root. */
  async entry(commit: string, path: string): Promise<TreeEntry | undefined> {
    if (!safeRef(commit)) return undefined;
    if (path === '') {
      const tree = await this.resolveTree(commit);
      return tree ? { path: '', mode: '040000', type: 'tree', sha: tree } : undefined;
    }
    const out = await git(this.dir, ['ls-tree', '-z', '-l', '--full-tree', commit, '--', path]).catch(() => undefined);
    const line = out
      ?.toString('utf8')
      .split('\0')
      .find((l) => l.endsWith(`\t${path}`));
    if (!line) return undefined;
    const [mode, type, sha, size] = line.slice(0, line.indexOf('\t')).split(/ +/) as [string, TreeEntry['type'], string, string];
    return { path, mode, type, sha, ...(type === 'blob' ? { size: Number(size) } : {}) };
  }

  /** The best common ancestor of two commits, or undefined when they share no history. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const out = await git(this.dir, ['merge-base', a, b]).catch(() => undefined);
    return out?.toString().trim() || undefined;
  }

  /** What changed from commit `base` to commit `head`, with rename detection, in path order. */
  async diff(base: string, head: string): Promise<DiffEntry[]> {
    const out = (await git(this.dir, ['diff-tree', '-r', '-z', '-M', '--no-commit-id', base, head])).toString('utf8');
    const parts = out.split('\0');
    const entries: DiffEntry[] = [];
    for (let i = 0; i + 1 < parts.length; ) {
      const [oldMode, newMode, oldSha, newSha, code] = parts[i]!.replace(/^:/, '').split(' ') as [string, string, string, string, string];
      const status = code[0] as DiffEntry['status'];
      if (status === 'R') {
        entries.push({ status, oldPath: parts[i + 1]!, path: parts[i + 2]!, oldMode, newMode, oldSha, newSha });
        i += 3;
      } else {
        entries.push({ status: status === 'T' || status === 'A' || status === 'D' ? status : 'M', path: parts[i + 1]!, oldMode, newMode, oldSha, newSha });
        i += 2;
      }
    }
    return entries;
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
        const [h, t, p, an, ae, ad, cn, ce, cd, msg] = r.split('\x1f') as string[] as [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          string,
        ];
        return {
          sha: h,
          tree: t,
          parents: p ? p.split(' ') : [],
          author: { name: an, email: ae, date: isoUtc(ad) },
          committer: { name: cn, email: ce, date: isoUtc(cd) },
          message: msg.replace(/\n+$/, ''),
        };
      });
  }

  /** The last commit touching each of `paths` from `sha` (one `git log` for all), like `git log -1 <sha> -- <path>` for each. */
  async lastCommits(sha: string, paths: string[]): Promise<Map<string, CommitInfo>> {
    const out = new Map<string, CommitInfo>();
    if (!paths.length || !safeRef(sha)) return out;
    const format = '%x1e%H%x1f%T%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cn%x1f%ce%x1f%cI';
    const text = (
      await git(this.dir, ['-c', 'core.quotePath=false', 'log', '--no-renames', '--name-only', `--format=${format}`, sha, '--', ...paths])
    ).toString('utf8');
    const wanted = new Set(paths);
    for (const record of text.split('\x1e').filter(Boolean)) {
      const [head = '', ...names] = record.split('\n');
      const [h, t, p, an, ae, ad, cn, ce, cd] = head.split('\x1f') as [string, string, string, string, string, string, string, string, string];
      const info: CommitInfo = {
        sha: h,
        tree: t,
        parents: p ? p.split(' ') : [],
        author: { name: an, email: ae, date: isoUtc(ad) },
        committer: { name: cn, email: ce, date: isoUtc(cd) },
        message: '',
      };
      for (const name of names) if (wanted.has(name) && !out.has(name)) out.set(name, info);
      if (out.size === wanted.size) break;
    }
    return out;
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
