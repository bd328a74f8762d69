/**
 * A real bare git repository driven through the `git` CLI, for the fake GitHub server and any test
 * that needs real commits, trees and blobs (so every sha is a real git sha). Writing commits and
 * moving refs lives here; reading objects and history in `gitObjects.ts`; the `git` runner and the
 * shapes in `gitCli.ts` (re-exported, so importers need not know).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommitOptions, git, safeRef, ZERO } from './gitCli.ts';
import { GitObjects } from './gitObjects.ts';

export { git } from './gitCli.ts';
export type { CommitInfo, CommitOptions, DiffEntry, FileSpec, Person, TreeEntry } from './gitCli.ts';

export class GitRepo extends GitObjects {
  #defaultBranch: string;
  #scratch = 0;

  private constructor(dir: string, defaultBranch: string) {
    super(dir);
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
}
