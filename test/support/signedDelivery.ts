import { sign } from '@octokit/webhooks-methods';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: unknown[] }>;

/** A real push payload from @octokit/webhooks-examples, re-pointed at `repo`/`branch`. */
export interface PushCommitSpec {
  id?: string;
  added?: string[];
  modified?: string[];
  removed?: string[];
  author?: string;
  timestamp?: string;
}

export function pushPayload(
  repo: string,
  branch: string,
  options: {
    sha?: string;
    before?: string;
    defaultBranch?: string;
    pusher?: string;
    deleted?: boolean;
    forced?: boolean;
    commits?: PushCommitSpec[];
    /** A push to this tag (`refs/tags/<tag>`) instead of `branch`. */
    tag?: string;
  } = {},
): Record<string, any> {
  const base = structuredClone(examples.find((e) => e.name === 'push')!.examples[0]) as Record<string, any>;
  const [owner, name] = repo.split('/');
  base.ref = options.tag === undefined ? `refs/heads/${branch}` : `refs/tags/${options.tag}`;
  base.after = options.sha ?? 'f'.repeat(40);
  base.deleted = options.deleted ?? false;
  base.repository.full_name = repo;
  base.repository.name = name;
  base.repository.owner.login = owner;
  base.repository.owner.name = owner;
  base.repository.default_branch = options.defaultBranch ?? 'main';
  base.pusher = { name: options.pusher ?? 'octocat', email: 'octocat@example.com' };
  if (options.before !== undefined) base.before = options.before;
  if (options.forced !== undefined) base.forced = options.forced;
  if (options.commits) {
    base.commits = options.commits.map((c, i) => ({
      id: c.id ?? (i === options.commits!.length - 1 ? base.after : i.toString(16).padStart(40, 'c')),
      tree_id: 'e'.repeat(40),
      distinct: true,
      message: 'docs: update',
      timestamp: c.timestamp ?? new Date().toISOString(),
      url: `https://github.com/${repo}/commit/${c.id ?? base.after}`,
      author: { name: c.author ?? options.pusher ?? 'octocat', email: 'octocat@example.com', username: c.author ?? options.pusher ?? 'octocat' },
      committer: { name: 'GitHub', email: 'noreply@github.com', username: 'web-flow' },
      added: c.added ?? [],
      removed: c.removed ?? [],
      modified: c.modified ?? [],
    }));
    base.head_commit = base.commits.at(-1) ?? null;
  }
  return base;
}

/**
 * A real `pull_request` payload from @octokit/webhooks-examples around `pr`, GitHub's JSON for the pull
 * request (e.g. `await fakeGitHub.pullRequest(owner, name, n)`); `synchronize` also gets before/after.
 */
export function pullRequestPayload(action: string, pr: Record<string, any>, options: { before?: string; sender?: string } = {}): Record<string, any> {
  const all = examples.find((e) => e.name === 'pull_request')!.examples as Array<Record<string, any>>;
  const base = structuredClone(all.find((e) => e.action === action) ?? all.find((e) => e.action === 'opened')!);
  const payload: Record<string, any> = {
    action,
    number: pr.number,
    pull_request: pr,
    repository: pr.base.repo,
    sender: { ...base.sender, login: options.sender ?? pr.user.login },
  };
  if (action === 'synchronize') Object.assign(payload, { before: options.before ?? '0'.repeat(40), after: pr.head.sha });
  return payload;
}

/** The example pull request of @octokit/webhooks-examples moved to `repo` (base and head, branch main ← `head`), when no fake GitHub is at hand. */
export function examplePullRequest(repo: string, number = 1, head = 'changes'): Record<string, any> {
  const all = examples.find((e) => e.name === 'pull_request')!.examples as Array<Record<string, any>>;
  const pr = structuredClone(all.find((e) => e.action === 'opened')!.pull_request) as Record<string, any>;
  const [owner, name] = repo.split('/');
  for (const side of [pr.base, pr.head])
    Object.assign(side.repo, { full_name: repo, name, default_branch: 'main' }, { owner: { ...side.repo.owner, login: owner } });
  Object.assign(pr.base, { ref: 'main', label: `${owner}:main` });
  Object.assign(pr.head, { ref: head, label: `${owner}:${head}`, sha: 'b'.repeat(40) });
  return Object.assign(pr, { number, html_url: `https://github.com/${repo}/pull/${number}` });
}

export interface Delivery {
  body: string;
  headers: Record<string, string>;
  guid: string;
}

/** A delivery exactly as GitHub sends it: raw body bytes signed with HMAC-SHA256. */
export async function signedDelivery(secret: string, event: string, payload: unknown, options: { guid?: string; form?: boolean } = {}): Promise<Delivery> {
  const json = JSON.stringify(payload);
  const body = options.form ? `payload=${encodeURIComponent(json)}` : json;
  const guid = options.guid ?? randomUUID();
  return {
    body,
    guid,
    headers: {
      'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-github-event': event,
      'x-github-delivery': guid,
      'x-hub-signature-256': await sign(secret, body),
      'user-agent': 'GitHub-Hookshot/test',
    },
  };
}

/** POST a delivery to `url` over real HTTP and return status + parsed JSON. */
export async function postDelivery(url: string, d: Delivery): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: d.headers, body: d.body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
