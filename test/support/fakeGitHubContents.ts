/**
 * The fake GitHub's contents and compare routes (see fakeGitHub.ts), in GitHub's JSON shapes, from a
 * real git repository:
 *   GET /repos/{o}/{r}/contents/{path}?ref=   a file (base64, empty with encoding "none" over 1 MB), a
 *                                             folder (array), a symlink (followed when its target is a
 *                                             file, like GitHub) or a submodule
 *   GET /repos/{o}/{r}/compare/{base}...{head} status, commits (≤ 250) and changed files (≤ 300)
 */
import type { HostedRepo, Reply } from './fakeGitHubApi.ts';
import type { CommitInfo, DiffEntry, TreeEntry } from './gitRepo.ts';

const DOCS = 'https://docs.github.com/rest';
const ONE_MB = 1024 * 1024;

const notFound = (doc: string, message = 'Not Found'): Reply => ({
  status: 404,
  body: { message, documentation_url: `${DOCS}/${doc}`, status: '404' },
});

function itemJson(api: string, h: HostedRepo, ref: string, e: TreeEntry, type: string): Record<string, unknown> {
  const base = `${api}/repos/${h.owner}/${h.name}`;
  const path = e.path.split('/').map(encodeURIComponent).join('/');
  const html = `https://github.com/${h.owner}/${h.name}/${e.type === 'tree' ? 'tree' : 'blob'}/${ref}/${path}`;
  const git = `${base}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`;
  const self = `${base}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  return {
    type,
    size: e.size ?? 0,
    name: e.path.split('/').pop(),
    path: e.path,
    sha: e.sha,
    url: self,
    git_url: e.type === 'commit' ? null : git,
    html_url: e.type === 'commit' ? null : html,
    download_url: e.type === 'blob' ? `https://raw.githubusercontent.com/${h.owner}/${h.name}/${ref}/${path}` : null,
    _links: { self, git: e.type === 'commit' ? null : git, html: e.type === 'commit' ? null : html },
  };
}

const kind = (e: TreeEntry): string => (e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : e.mode === '120000' ? 'symlink' : 'file');

export async function contentsRoute(api: string, h: HostedRepo, path: string, url: URL): Promise<Reply> {
  const ref = url.searchParams.get('ref') || h.repo.defaultBranch;
  const doc = 'repos/contents#get-repository-content';
  const commit = await h.repo.resolve(ref);
  if (!commit) return notFound(doc, `No commit found for the ref ${ref}`);
  const clean = path.replace(/^\/+|\/+$/g, '');
  const entry = await h.repo.entry(commit, clean);
  if (!entry) return notFound(doc);
  if (entry.type === 'tree') {
    const children = await h.repo.lsTree(entry.path === '' ? entry.sha : `${commit}:${entry.path}`, false);
    const list = children.map((c) => itemJson(api, h, ref, { ...c, path: entry.path ? `${entry.path}/${c.path}` : c.path }, kind(c)));
    return { status: 200, body: list };
  }
  if (entry.type === 'commit') {
    return { status: 200, body: { ...itemJson(api, h, ref, entry, 'submodule'), submodule_git_url: `https://github.com/${h.owner}/${entry.path}.git` } };
  }
  if (entry.mode === '120000') {
    const target = (await h.repo.readBlob(entry.sha)).toString('utf8');
    const dir = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/') + 1) : '';
    const resolved = new URL(target, `file:///${dir}`).pathname.slice(1);
    const followed = target.startsWith('/') ? undefined : await h.repo.entry(commit, resolved);
    // Like GitHub: a link to a regular file in the repository answers that file (under its own path).
    if (followed?.type === 'blob' && followed.mode !== '120000') return fileReply(api, h, ref, followed);
    return { status: 200, body: { ...itemJson(api, h, ref, entry, 'symlink'), target } };
  }
  return fileReply(api, h, ref, entry);
}

async function fileReply(api: string, h: HostedRepo, ref: string, entry: TreeEntry): Promise<Reply> {
  const size = entry.size ?? 0;
  const content = size > ONE_MB ? '' : (await h.repo.readBlob(entry.sha)).toString('base64').replace(/.{60}/g, '$&\n');
  return {
    status: 200,
    body: {
      ...itemJson(api, h, ref, entry, 'file'),
      content: content && !content.endsWith('\n') ? `${content}\n` : content,
      encoding: size > ONE_MB ? 'none' : 'base64',
    },
  };
}

const STATUS: Record<DiffEntry['status'], string> = { A: 'added', M: 'modified', D: 'removed', R: 'renamed', T: 'changed' };

export interface CompareOptions {
  /** Files listed at most (GitHub: 300). */
  maxFiles: number;
  commitJson: (c: CommitInfo) => Record<string, unknown>;
}

/** `base...head`: the changes from their merge base to head, as GitHub's compare API lists them. */
export async function compareRoute(api: string, h: HostedRepo, basehead: string, opts: CompareOptions): Promise<Reply> {
  const doc = 'commits/commits#compare-two-commits';
  const m = /^(.+?)\.\.\.(.+)$/.exec(basehead);
  if (!m) return notFound(doc);
  const [base, head] = await Promise.all([h.repo.resolve(m[1]!), h.repo.resolve(m[2]!)]);
  if (!base || !head) return notFound(doc);
  const mergeBase = await h.repo.mergeBase(base, head);
  if (!mergeBase) return notFound(doc, `No common ancestor between ${m[1]} and ${m[2]}.`);
  const ahead = mergeBase === head ? 0 : await h.repo.countCommits(`${mergeBase}..${head}`);
  const behind = mergeBase === base ? 0 : await h.repo.countCommits(`${mergeBase}..${base}`);
  const status = ahead === 0 && behind === 0 ? 'identical' : behind === 0 ? 'ahead' : ahead === 0 ? 'behind' : 'diverged';
  const commits = ahead === 0 ? [] : (await h.repo.log(`${mergeBase}..${head}`)).reverse().slice(0, 250);
  const diff = mergeBase === head ? [] : await h.repo.diff(mergeBase, head);
  const blobUrl = (path: string, sha: string): string =>
    `https://github.com/${h.owner}/${h.name}/blob/${sha}/${path.split('/').map(encodeURIComponent).join('/')}`;
  const files = diff.slice(0, opts.maxFiles).map((d) => ({
    sha: d.status === 'D' ? d.oldSha : d.newSha,
    filename: d.path,
    status: STATUS[d.status],
    additions: 0,
    deletions: 0,
    changes: 0,
    blob_url: blobUrl(d.path, head),
    raw_url: blobUrl(d.path, head).replace('/blob/', '/raw/'),
    contents_url: `${api}/repos/${h.owner}/${h.name}/contents/${d.path.split('/').map(encodeURIComponent).join('/')}?ref=${head}`,
    ...(d.oldPath ? { previous_filename: d.oldPath } : {}),
  }));
  const [baseInfo] = await h.repo.log(base, { limit: 1 });
  const [mbInfo] = await h.repo.log(mergeBase, { limit: 1 });
  const html = `https://github.com/${h.owner}/${h.name}/compare/${basehead}`;
  return {
    status: 200,
    body: {
      url: `${api}/repos/${h.owner}/${h.name}/compare/${basehead}`,
      html_url: html,
      permalink_url: `https://github.com/${h.owner}/${h.name}/compare/${h.owner}:${base.slice(0, 7)}...${h.owner}:${head.slice(0, 7)}`,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      base_commit: opts.commitJson(baseInfo!),
      merge_base_commit: opts.commitJson(mbInfo!),
      status,
      ahead_by: ahead,
      behind_by: behind,
      total_commits: ahead,
      commits: commits.map(opts.commitJson),
      files,
    },
  };
}
