/**
 * The fake GitHub's pull requests (see fakeGitHub.ts), computed from the real git repositories:
 *   GET /repos/{o}/{r}/pulls/{n}         the pull request (GitHub's JSON shape, from @octokit/webhooks-examples)
 *   GET /repos/{o}/{r}/pulls/{n}/files   changed files, merge-base...head with renames, paged like GitHub
 *                                        (per_page ≤ 100, default 30, `Link` header, 3,000 files at most)
 * A pull request's head is a branch of the base repository or of a fork (a second repository sharing
 * its history); like GitHub, the base repository keeps the head commit as `refs/pull/{n}/head`.
 */
import { createRequire } from 'node:module';
import { errorReply, linkHeader, repoJson, type ApiContext, type HostedRepo, type Reply } from './fakeGitHubApi.ts';
import { git } from './gitRepo.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, any>> }>;
const DOCS = 'https://docs.github.com/rest/pulls/pulls';
/** GitHub lists at most this many files of a pull request. */
const MAX_FILES = 3000;

export interface FakePull {
  number: number;
  base: HostedRepo;
  baseRef: string;
  head: HostedRepo;
  headRef: string;
  title: string;
  body: string;
  user: string;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
}

export interface PullFile {
  sha: string;
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'changed';
  additions: number;
  deletions: number;
  changes: number;
  previous_filename?: string;
}

const STATUS = { A: 'added', M: 'modified', D: 'removed', R: 'renamed', T: 'changed' } as const;
export const pullKey = (h: HostedRepo, n: number): string => `${h.owner}/${h.name}#${n}`.toLowerCase();
const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The head commit of `pull`, copied into the base repository as `refs/pull/{n}/head` while the pull
 * request is open (GitHub stops following the head branch once it is closed).
 */
export async function syncHead(pull: FakePull): Promise<string> {
  const ref = `refs/pull/${pull.number}/head`;
  if (pull.state === 'open') {
    if (pull.head === pull.base) {
      const sha = await pull.base.repo.resolve(`refs/heads/${pull.headRef}`);
      if (sha) await git(pull.base.repo.dir, ['update-ref', ref, sha]);
    } else {
      await git(pull.base.repo.dir, ['fetch', '--quiet', '--no-tags', pull.head.repo.dir, `+refs/heads/${pull.headRef}:${ref}`]).catch(() => undefined);
    }
  }
  const sha = await pull.base.repo.resolve(ref);
  if (!sha) throw new Error(`fake GitHub: the head branch ${pull.headRef} of pull request #${pull.number} does not exist`);
  return sha;
}

/** What the pull request changes: from the merge base of its base branch and head, to the head. */
export async function pullFiles(pull: FakePull, head?: string): Promise<PullFile[]> {
  head ??= await syncHead(pull);
  const base = await pull.base.repo.resolve(`refs/heads/${pull.baseRef}`);
  const mergeBase = base && (await pull.base.repo.mergeBase(base, head));
  if (!mergeBase) return [];
  const [diff, stat] = await Promise.all([pull.base.repo.diff(mergeBase, head), numstat(pull.base.repo.dir, mergeBase, head)]);
  return diff.map((d) => {
    const [additions, deletions] = stat.get(d.path) ?? [0, 0];
    return {
      sha: d.status === 'D' ? d.oldSha : d.newSha,
      filename: d.path,
      status: STATUS[d.status],
      additions,
      deletions,
      changes: additions + deletions,
      ...(d.oldPath ? { previous_filename: d.oldPath } : {}),
    };
  });
}

/** Lines added and deleted per (new) path, `git diff --numstat` with renames (binary files: 0, 0). */
async function numstat(dir: string, from: string, to: string): Promise<Map<string, [number, number]>> {
  const parts = (await git(dir, ['diff-tree', '-r', '-z', '-M', '--numstat', '--no-commit-id', from, to])).toString('utf8').split('\0');
  const out = new Map<string, [number, number]>();
  for (let i = 0; i < parts.length; i++) {
    const m = /^(\d+|-)\t(\d+|-)\t(.*)$/s.exec(parts[i]!);
    if (!m) continue;
    const path = m[3] === '' ? parts[(i += 2)]! : m[3]!; // a rename: "a\td\t" NUL old NUL new
    out.set(path, [Number(m[1]) || 0, Number(m[2]) || 0]);
  }
  return out;
}

/** GitHub's JSON for a pull request (as `GET /pulls/{n}` and the `pull_request` deliveries carry it). */
export async function pullJson(api: string, pull: FakePull): Promise<Record<string, any>> {
  const example = examples.find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'synchronize')!;
  const out = structuredClone(example.pull_request) as Record<string, any>;
  const full = `${pull.base.owner}/${pull.base.name}`;
  const url = `${api}/repos/${full}`;
  const headSha = await syncHead(pull);
  const baseSha = (await pull.base.repo.resolve(`refs/heads/${pull.baseRef}`)) ?? '';
  const files = await pullFiles(pull, headSha);
  const user = { ...out.user, login: pull.user, url: `${api}/users/${pull.user}`, html_url: `https://github.com/${pull.user}` };
  const side = (h: HostedRepo, ref: string, sha: string) => ({
    label: `${h.owner}:${ref}`,
    ref,
    sha,
    user: { ...user, login: h.owner, url: `${api}/users/${h.owner}` },
    repo: repoJson({ api } as ApiContext, h),
  });
  Object.assign(out, {
    url: `${url}/pulls/${pull.number}`,
    id: 9000 + pull.number,
    html_url: `https://github.com/${full}/pull/${pull.number}`,
    diff_url: `https://github.com/${full}/pull/${pull.number}.diff`,
    patch_url: `https://github.com/${full}/pull/${pull.number}.patch`,
    issue_url: `${url}/issues/${pull.number}`,
    commits_url: `${url}/pulls/${pull.number}/commits`,
    review_comments_url: `${url}/pulls/${pull.number}/comments`,
    comments_url: `${url}/issues/${pull.number}/comments`,
    statuses_url: `${url}/statuses/${headSha}`,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    user,
    assignees: [],
    requested_reviewers: [],
    labels: [],
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt ?? null,
    merged_at: pull.merged ? (pull.closedAt ?? null) : null,
    draft: pull.draft,
    merged: pull.merged,
    head: side(pull.head, pull.headRef, headSha),
    base: side(pull.base, pull.baseRef, baseSha),
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  });
  out._links = {
    self: { href: `${url}/pulls/${pull.number}` },
    html: { href: out.html_url },
    issue: { href: out.issue_url },
    comments: { href: out.comments_url },
    review_comments: { href: out.review_comments_url },
    commits: { href: out.commits_url },
    statuses: { href: out.statuses_url },
  };
  return out;
}

/** `rest` = the path after `/repos/{o}/{r}/`, starting with `pulls`; undefined when no route matches. */
export async function pullsRoute(ctx: ApiContext, h: HostedRepo, rest: string[], url: URL): Promise<Reply | undefined> {
  const n = Number(rest[1]);
  if (!/^\d+$/.test(rest[1] ?? '') || rest.length > 3 || (rest.length === 3 && rest[2] !== 'files')) return undefined;
  const pull = ctx.pulls?.get(pullKey(h, n));
  if (!pull) return errorReply(404, 'Not Found', `${DOCS}#get-a-pull-request`);
  if (rest.length === 2) return { status: 200, body: await pullJson(ctx.api, pull) };
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const head = await syncHead(pull);
  const files = (await pullFiles(pull, head)).slice(0, MAX_FILES);
  const last = Math.max(1, Math.ceil(files.length / perPage));
  const link = linkHeader(new URL(`${ctx.api}${url.pathname}${url.search}`), page, last);
  const at = (p: string, sha: string): string => `https://github.com/${h.owner}/${h.name}/blob/${sha}/${p.split('/').map(encodeURIComponent).join('/')}`;
  const body = files.slice((page - 1) * perPage, page * perPage).map((f) => ({
    ...f,
    blob_url: at(f.filename, head),
    raw_url: at(f.filename, head).replace('/blob/', '/raw/'),
    contents_url: `${ctx.api}/repos/${h.owner}/${h.name}/contents/${f.filename.split('/').map(encodeURIComponent).join('/')}?ref=${head}`,
  }));
  return { status: 200, headers: link ? { link } : {}, body };
}

/** A new pull request's record (the caller stores it in `ctx.pulls`). */
export function newPull(spec: Omit<FakePull, 'state' | 'merged' | 'createdAt' | 'updatedAt'>): FakePull {
  const at = now();
  return { ...spec, state: 'open', merged: false, createdAt: at, updatedAt: at };
}

/** Close (optionally merged), reopen, or mark a pull request ready / draft, as GitHub does. */
export function updatePull(pull: FakePull, change: { state?: 'open' | 'closed'; merged?: boolean; draft?: boolean; title?: string }): void {
  if (change.state) pull.state = change.state;
  if (change.state === 'closed') {
    pull.closedAt = now();
    pull.merged = change.merged === true;
  }
  if (change.state === 'open') delete pull.closedAt;
  if (change.draft !== undefined) pull.draft = change.draft;
  if (change.title !== undefined) pull.title = change.title;
  pull.updatedAt = now();
}
