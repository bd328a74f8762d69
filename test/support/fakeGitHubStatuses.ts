/**
 * The fake GitHub's commit statuses API (see fakeGitHub.ts), answered as GitHub does:
 *   POST /repos/{o}/{r}/statuses/{sha}          201 with the status; 422 for a bad state, a description
 *                                               over 140 characters, a bad target_url or an unknown sha
 *   GET  /repos/{o}/{r}/commits/{ref}/statuses  every status of the commit, newest first, paginated
 *   GET  /repos/{o}/{r}/commits/{ref}/status    the combined status (latest per context)
 * and a token that may read statuses but not write them (`access`): a fine-grained token is answered
 * 403 `Resource not accessible by personal access token`, a classic token without `repo:status` 404.
 * Tests read back what was set with `of(owner, name, sha)`.
 */
import { errorReply, linkHeader, repoJson, type ApiContext, type HostedRepo, type Reply } from './fakeGitHubApi.ts';

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

/** What the token may do with statuses: write (default), or read only as a fine-grained / classic token. */
export type StatusAccess = 'write' | 'read-fine-grained' | 'read-classic';

/** One status as stored (creation order). */
export interface StoredStatus {
  id: number;
  sha: string;
  state: CommitState;
  description: string | null;
  target_url: string | null;
  context: string;
  created_at: string;
}

export interface FakeGitHubStatuses {
  /** Set what the token may do with statuses from now on. */
  access(mode: StatusAccess): void;
  /** The statuses set on `sha` of `owner/name`, oldest first. */
  of(owner: string, name: string, sha: string): StoredStatus[];
  /** Answer a statuses request; undefined when the path is not one of the statuses routes. */
  route(method: string, url: URL, body: Buffer): Promise<Reply | undefined>;
}

const STATES: readonly CommitState[] = ['error', 'failure', 'pending', 'success'];
const DOC = 'https://docs.github.com/rest/commits/statuses';
const invalid = (detail: string): Reply => errorReply(422, `Invalid request.\n\n${detail}`, `${DOC}#create-a-commit-status`);
const failed = (field: string, message: string): Reply => ({
  status: 422,
  body: {
    message: 'Validation Failed',
    errors: [{ resource: 'Status', code: 'custom', field, message }],
    documentation_url: `${DOC}#create-a-commit-status`,
    status: '422',
  },
});

/**
 * `hosted` lists every repository of the fake: a sha a repository lacks is still found in another one
 * (a fork), as GitHub finds a fork PR's head in the base repository (it keeps it as refs/pull/N/head).
 */
export function fakeGitHubStatuses(ctx: ApiContext, hosted: () => Iterable<HostedRepo> = () => []): FakeGitHubStatuses {
  const stored = new Map<string, StoredStatus[]>();
  let mode: StatusAccess = 'write';
  let nextId = 1;
  const keyOf = (h: HostedRepo, sha: string): string => `${h.owner}/${h.name}@${sha}`.toLowerCase();
  async function commitOf(h: HostedRepo, ref: string): Promise<string | undefined> {
    const own = await h.repo.resolve(ref);
    if (own || !/^[0-9a-f]{40}$/i.test(ref)) return own;
    for (const other of hosted()) if (other !== h && (await other.repo.resolve(ref))) return ref.toLowerCase();
    return undefined;
  }

  function statusJson(h: HostedRepo, s: StoredStatus): Record<string, unknown> {
    return {
      url: `${ctx.api}/repos/${h.owner}/${h.name}/statuses/${s.sha}`,
      avatar_url: 'https://github.com/images/error/hubot_happy.gif',
      id: s.id,
      node_id: Buffer.from(`StatusContext:${s.id}`).toString('base64').replace(/=+$/, ''),
      state: s.state,
      description: s.description,
      target_url: s.target_url,
      context: s.context,
      created_at: s.created_at,
      updated_at: s.created_at,
      creator: { login: 'docs-sync-bot', id: 1, type: 'User', site_admin: false },
    };
  }

  async function create(h: HostedRepo, sha: string, body: Buffer): Promise<Reply> {
    if (mode === 'read-fine-grained') return errorReply(403, 'Resource not accessible by personal access token', `${DOC}#create-a-commit-status`);
    if (mode === 'read-classic') return errorReply(404, 'Not Found', `${DOC}#create-a-commit-status`);
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return errorReply(400, 'Problems parsing JSON', `${DOC}#create-a-commit-status`);
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return invalid(`${JSON.stringify(input)} is not an object.`);
    if (input.state === undefined) return invalid('"state" wasn\'t supplied.');
    if (!STATES.includes(input.state as CommitState)) {
      return invalid(`For 'properties/state', ${JSON.stringify(input.state)} is not a member of ${JSON.stringify(STATES)}.`);
    }
    for (const field of ['target_url', 'description', 'context']) {
      const v = input[field];
      if (v !== undefined && v !== null && typeof v !== 'string') return invalid(`For 'properties/${field}', ${JSON.stringify(v)} is not a string or null.`);
    }
    const description = typeof input.description === 'string' ? input.description : null;
    if (description !== null && [...description].length > 140) return failed('description', 'description is too long (maximum is 140 characters)');
    const target = typeof input.target_url === 'string' && input.target_url !== '' ? input.target_url : null;
    if (target !== null && !/^https?:\/\/[^\s/]+/i.test(target)) return failed('target_url', 'target_url must use http(s) scheme');
    const commit = /^[0-9a-f]{40}$/i.test(sha) ? await commitOf(h, sha) : undefined;
    if (!commit) return errorReply(422, `No commit found for SHA: ${sha}`, `${DOC}#create-a-commit-status`);
    const status: StoredStatus = {
      id: nextId++,
      sha: commit,
      state: input.state as CommitState,
      description,
      target_url: target,
      context: typeof input.context === 'string' && input.context !== '' ? input.context : 'default',
      created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    const list = stored.get(keyOf(h, commit)) ?? [];
    list.push(status);
    stored.set(keyOf(h, commit), list);
    const json = statusJson(h, status);
    return { status: 201, headers: { location: String(json.url) }, body: json };
  }

  function list(h: HostedRepo, sha: string, url: URL): Reply {
    const all = [...(stored.get(keyOf(h, sha)) ?? [])].reverse();
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = linkHeader(new URL(`${ctx.api}${url.pathname}${url.search}`), page, last);
    return { status: 200, headers: link ? { link } : {}, body: all.slice((page - 1) * perPage, page * perPage).map((s) => statusJson(h, s)) };
  }

  /** GitHub's combined state: failure if any latest status is error/failure, pending if none or any pending, else success. */
  function combined(h: HostedRepo, sha: string): Reply {
    const latest = new Map<string, StoredStatus>();
    for (const s of stored.get(keyOf(h, sha)) ?? []) latest.set(s.context, s);
    const statuses = [...latest.values()].sort((a, b) => b.id - a.id);
    const states = new Set(statuses.map((s) => s.state));
    const state = states.has('error') || states.has('failure') ? 'failure' : statuses.length === 0 || states.has('pending') ? 'pending' : 'success';
    const base = `${ctx.api}/repos/${h.owner}/${h.name}`;
    return {
      status: 200,
      body: {
        state,
        statuses: statuses.map((s) => statusJson(h, s)),
        sha,
        total_count: statuses.length,
        repository: repoJson(ctx, h),
        commit_url: `${base}/commits/${sha}`,
        url: `${base}/commits/${sha}/status`,
      },
    };
  }

  return {
    access(m) {
      mode = m;
    },
    of(owner, name, sha) {
      const h = ctx.find(owner, name);
      return h ? [...(stored.get(keyOf(h, sha)) ?? [])] : [];
    },
    async route(method, url, body) {
      const seg = url.pathname.split('/').slice(1).map(decodeURIComponent);
      if (seg[0] !== 'repos' || seg.length < 5) return undefined;
      const isCreate = seg[3] === 'statuses' && seg.length === 5;
      const isRead = seg[3] === 'commits' && seg.length >= 6 && (seg.at(-1) === 'statuses' || seg.at(-1) === 'status');
      if (!isCreate && !isRead) return undefined;
      const h = ctx.find(seg[1]!, seg[2]!);
      if (!h) return errorReply(404, 'Not Found', `${DOC}`);
      if (isCreate) return method === 'POST' ? create(h, seg[4]!, body) : errorReply(404, 'Not Found', DOC);
      if (method !== 'GET') return errorReply(404, 'Not Found', DOC);
      const ref = seg.slice(4, -1).join('/');
      const sha = await commitOf(h, ref);
      if (!sha) return errorReply(422, `No commit found for SHA: ${ref}`, `${DOC}#list-commit-statuses-for-a-reference`);
      return seg.at(-1) === 'statuses' ? list(h, sha, url) : combined(h, sha);
    },
  };
}
