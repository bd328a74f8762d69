/**
 * The `git` process runner for the test git repositories (`gitRepo.ts`), and the shapes of what they
 * answer: files to commit, tree entries, diffs and commits.
 */
import { spawn } from 'node:child_process';

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
export const ZERO = '0000000000000000000000000000000000000000';

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

export const isoUtc = (d: string): string => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const safeRef = (ref: string): boolean => ref !== '' && !ref.startsWith('-') && !ref.includes('\0');
