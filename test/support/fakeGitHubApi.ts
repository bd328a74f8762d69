/**
 * The REST routes of the fake GitHub (see fakeGitHub.ts): GitHub's real JSON shapes, built from a
 * real git repository. Each route returns a Reply; the server adds headers, auth and faults.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { compareRoute, contentsRoute } from './fakeGitHubContents.ts';
import { type FakePull, pullsRoute } from './fakeGitHubPulls.ts';
import type { CommitInfo, GitRepo } from './gitRepo.ts';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw bytes instead of a JSON body. */
  raw?: Buffer;
}

export interface HostedRepo {
  owner: string;
  name: string;
  id: number;
  repo: GitRepo;
  createdAt: string;
  /** A private repository (REST `private`, GraphQL `isPrivate`). */
  private?: boolean;
  /** A fork (fakeGitHub.forkRepo): REST `fork: true`. */
  fork?: boolean;
}

export interface ApiContext {
  api: string;
  find(owner: string, name: string): HostedRepo | undefined;
  maxTreeEntries?: number;
  /** Files a compare lists at most (GitHub: 300). */
  maxCompareFiles?: number;
  cache: Map<string, Buffer>;
  /** Pull requests by `owner/name#number` (lower case), see fakeGitHubPulls.ts. */
  pulls?: Map<string, FakePull>;
}

const DOCS = 'https://docs.github.com/rest';

export const errorReply = (status: number, message: string, doc = DOCS): Reply => ({
  status,
  body: { message, documentation_url: doc, status: String(status) },
});
const notFound = (doc: string): Reply => errorReply(404, 'Not Found', `${DOCS}/${doc}`);
const nodeId = (kind: string, s: string): string => Buffer.from(`${kind}:${s}`).toString('base64').replace(/=+$/, '');

function commitJson(ctx: ApiContext, h: HostedRepo, c: CommitInfo, login?: string): Record<string, unknown> {
  const base = `${ctx.api}/repos/${h.owner}/${h.name}`;
  const html = `https://github.com/${h.owner}/${h.name}`;
  const user = login ? { login, id: 1000, type: 'User', site_admin: false, url: `${ctx.api}/users/${login}` } : null;
  return {
    sha: c.sha,
    node_id: nodeId('Commit', c.sha),
    commit: {
      author: c.author,
      committer: c.committer,
      message: c.message,
      tree: { sha: c.tree, url: `${base}/git/trees/${c.tree}` },
      url: `${base}/git/commits/${c.sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${base}/commits/${c.sha}`,
    html_url: `${html}/commit/${c.sha}`,
    comments_url: `${base}/commits/${c.sha}/comments`,
    author: user,
    committer: user,
    parents: c.parents.map((p) => ({ sha: p, url: `${base}/commits/${p}`, html_url: `${html}/commit/${p}` })),
  };
}

export function repoJson(ctx: ApiContext, h: HostedRepo): Record<string, unknown> {
  const url = `${ctx.api}/repos/${h.owner}/${h.name}`;
  return {
    id: h.id,
    node_id: nodeId('Repository', String(h.id)),
    name: h.name,
    full_name: `${h.owner}/${h.name}`,
    private: h.private === true,
    owner: { login: h.owner, id: h.id * 10, type: 'Organization', site_admin: false, url: `${ctx.api}/users/${h.owner}` },
    html_url: `https://github.com/${h.owner}/${h.name}`,
    description: null,
    fork: h.fork === true,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    trees_url: `${url}/git/trees{/sha}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    commits_url: `${url}/commits{/sha}`,
    created_at: h.createdAt,
    updated_at: h.createdAt,
    pushed_at: h.createdAt,
    size: 0,
    archived: false,
    disabled: false,
    visibility: 'public',
    default_branch: h.repo.defaultBranch,
  };
}

/** The `Link` header GitHub sends with a paged list. */
export function linkHeader(url: URL, page: number, last: number): string | undefined {
  const at = (p: number): string => {
    const u = new URL(url);
    u.searchParams.set('page', String(p));
    return `<${u}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`, `${at(1)}; rel="first"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  return links.length ? links.join(', ') : undefined;
}

/** Answer one API request; undefined when no route matches (the server answers 404). */
export async function route(ctx: ApiContext, method: string, url: URL, accept: string): Promise<Reply | undefined> {
  if (method !== 'GET') return undefined;
  const seg = url.pathname.split('/').slice(1).map(decodeURIComponent);
  if (seg[0] === '_codeload' && seg.length >= 5) return codeload(ctx, seg[1]!, seg[2]!, seg.slice(4).join('/'));
  if (seg[0] !== 'repos' || seg.length < 3) return undefined;
  const h = ctx.find(seg[1]!, seg[2]!);
  if (!h) return notFound('repos/repos#get-a-repository');
  const base = `/repos/${h.owner}/${h.name}`;
  const rest = seg.slice(3);
  const tail = rest.slice(1).join('/');
  const repo = h.repo;

  if (rest.length === 0) return { status: 200, body: repoJson(ctx, h) };

  if (rest[0] === 'branches' && tail) {
    const sha = await repo.resolve(`refs/heads/${tail}`);
    if (!sha) return errorReply(404, 'Branch not found', `${DOCS}/branches/branches#get-a-branch`);
    const [c] = await repo.log(sha, { limit: 1 });
    return {
      status: 200,
      body: {
        name: tail,
        commit: commitJson(ctx, h, c!),
        _links: { self: `${ctx.api}${base}/branches/${tail}`, html: `https://github.com/${h.owner}/${h.name}/tree/${tail}` },
        protected: false,
        protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
        protection_url: `${ctx.api}${base}/branches/${tail}/protection`,
      },
    };
  }

  if (rest[0] === 'git' && rest[1] === 'ref' && rest.length > 2) {
    const ref = rest.slice(2).join('/');
    const sha = /^(heads|tags)\//.test(ref) ? await repo.resolve(`refs/${ref}`) : undefined;
    if (!sha) return notFound('git/refs#get-a-reference');
    return {
      status: 200,
      body: {
        ref: `refs/${ref}`,
        node_id: nodeId('Ref', ref),
        url: `${ctx.api}${base}/git/refs/${ref}`,
        object: { sha, type: 'commit', url: `${ctx.api}${base}/git/commits/${sha}` },
      },
    };
  }

  // Branches or tags by name prefix, as GitHub lists them (an empty list when none matches); `ref` is `tags/v` or `heads/release-`.
  if (rest[0] === 'git' && rest[1] === 'matching-refs' && rest.length > 2) {
    const prefix = rest.slice(2).join('/');
    if (!/^(heads|tags)\//.test(prefix)) return { status: 200, body: [] };
    const refs = await repo.refs(`refs/${prefix}`);
    const body = refs.map((r) => ({
      ref: r.ref,
      node_id: nodeId('Ref', r.ref),
      url: `${ctx.api}${base}/git/${r.ref}`,
      object: { sha: r.sha, type: 'commit', url: `${ctx.api}${base}/git/commits/${r.sha}` },
    }));
    return { status: 200, body };
  }

  if (rest[0] === 'commits' && rest.length === 1) {
    const from = url.searchParams.get('sha') || repo.defaultBranch;
    const sha = await repo.resolve(from);
    if (!sha) return errorReply(404, 'Not Found', `${DOCS}/commits/commits#list-commits`);
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const path = url.searchParams.get('path') ?? undefined;
    const list = await repo.log(sha, { path, skip: (page - 1) * perPage, limit: perPage });
    const last = Math.max(1, Math.ceil((await repo.countCommits(sha, path)) / perPage));
    const link = linkHeader(new URL(`${ctx.api}${url.pathname}${url.search}`), page, last);
    return { status: 200, headers: link ? { link } : {}, body: list.map((c) => commitJson(ctx, h, c)) };
  }

  if (rest[0] === 'commits' && tail) {
    const sha = await repo.resolve(tail);
    if (!sha) {
      if (!(await repo.resolve(`refs/heads/${repo.defaultBranch}`))) return errorReply(409, 'Git Repository is empty.', `${DOCS}/commits/commits#get-a-commit`);
      return errorReply(422, `No commit found for SHA: ${tail}`, `${DOCS}/commits/commits#get-a-commit`);
    }
    if (/application\/vnd\.github(\.v3)?\.sha/.test(accept)) {
      // GitHub: the sha is the ETag, so `If-None-Match: "<sha you have>"` answers 304 while the ref has not moved.
      return { status: 200, headers: { 'content-type': 'application/vnd.github.sha; charset=utf-8', etag: `"${sha}"` }, raw: Buffer.from(sha) };
    }
    const [c] = await repo.log(sha, { limit: 1 });
    return { status: 200, body: { ...commitJson(ctx, h, c!), stats: { total: 0, additions: 0, deletions: 0 }, files: [] } };
  }

  if (rest[0] === 'git' && rest[1] === 'trees' && rest.length > 2) {
    const tree = await repo.resolveTree(rest.slice(2).join('/'));
    if (!tree) return notFound('git/trees#get-a-tree');
    const entries = await repo.lsTree(tree, url.searchParams.has('recursive'));
    const limit = ctx.maxTreeEntries ?? Infinity;
    return {
      status: 200,
      body: {
        sha: tree,
        url: `${ctx.api}${base}/git/trees/${tree}`,
        tree: entries.slice(0, limit).map((e) => ({
          path: e.path,
          mode: e.mode,
          type: e.type,
          sha: e.sha,
          ...(e.size === undefined ? {} : { size: e.size }),
          ...(e.type === 'commit' ? {} : { url: `${ctx.api}${base}/git/${e.type}s/${e.sha}` }),
        })),
        truncated: entries.length > limit,
      },
    };
  }

  if (rest[0] === 'git' && rest[1] === 'blobs' && rest.length === 3) {
    const sha = rest[2]!;
    if ((await repo.objectType(sha)) !== 'blob') return notFound('git/blobs#get-a-blob');
    const content = await repo.readBlob(sha);
    const b64 = content.toString('base64').replace(/.{60}/g, '$&\n');
    return {
      status: 200,
      body: {
        sha,
        node_id: nodeId('Blob', sha),
        size: content.length,
        url: `${ctx.api}${base}/git/blobs/${sha}`,
        content: b64.endsWith('\n') ? b64 : `${b64}\n`,
        encoding: 'base64',
      },
    };
  }

  if (rest[0] === 'pulls') return pullsRoute(ctx, h, rest, url);

  if (rest[0] === 'contents') return contentsRoute(ctx.api, h, tail, url);

  if (rest[0] === 'compare' && tail) {
    return compareRoute(ctx.api, h, tail, { maxFiles: ctx.maxCompareFiles ?? 300, commitJson: (c) => commitJson(ctx, h, c) });
  }

  if (rest[0] === 'tarball') {
    const ref = tail || repo.defaultBranch;
    const sha = await repo.resolve(ref);
    if (!sha) return notFound('repos/contents#download-a-repository-archive-tar');
    const target = (await repo.resolve(`refs/heads/${ref}`)) ? `refs/heads/${ref}` : ref;
    return { status: 302, headers: { location: `${ctx.api}/_codeload/${h.owner}/${h.name}/legacy.tar.gz/${target}` }, raw: Buffer.alloc(0) };
  }
  return undefined;
}

/** codeload.github.com's part: the gzip tarball itself, top folder `owner-repo-sha7/`. */
async function codeload(ctx: ApiContext, owner: string, name: string, ref: string): Promise<Reply> {
  const h = ctx.find(owner, name);
  const sha = h && (await h.repo.resolve(ref));
  if (!h || !sha) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, raw: Buffer.from('404: Not Found') };
  const top = `${h.owner}-${h.name}-${sha.slice(0, 7)}`;
  let tgz = ctx.cache.get(`tar:${h.owner}/${h.name}:${sha}`);
  if (!tgz) {
    tgz = gzipSync(await h.repo.archive(sha, `${top}/`));
    ctx.cache.set(`tar:${h.owner}/${h.name}:${sha}`, tgz);
  }
  return {
    status: 200,
    headers: {
      'content-type': 'application/x-gzip',
      'content-disposition': `attachment; filename=${top}.tar.gz`,
      etag: `"${createHash('sha1').update(tgz).digest('hex')}"`,
    },
    raw: tgz,
  };
}
