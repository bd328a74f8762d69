/**
 * The read side of a test git repository (`gitRepo.ts`): resolving names to commits and trees, listing
 * trees, reading blobs, diffs, history and archives, all through the `git` CLI.
 */
import { type CommitInfo, type DiffEntry, git, isoUtc, safeRef, type TreeEntry } from './gitCli.ts';

export class GitObjects {
  readonly dir: string;

  protected constructor(dir: string) {
    this.dir = dir;
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
