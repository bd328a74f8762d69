/**
 * The fake GitHub's `POST /graphql`, for exactly one query shape: the last commit touching each of
 * many paths, in many repositories at once, answered from git (`git log -1 <oid> -- <path>` for each):
 *
 *   query {
 *     r0: repository(owner: "devsapp", name: "fc") {
 *       c: object(oid: "<commit sha>") {
 *         ... on Commit {
 *           f0: history(first: 1, path: "docs/readme.md") { nodes { oid committedDate author { name user { login } } } }
 *         }
 *       }
 *       isPrivate
 *     }
 *   }
 *
 * Anything else is answered like GitHub answers a query it cannot run: 200 with `errors`.
 */
import type { HostedRepo, Reply } from './fakeGitHubApi.ts';

const STR = String.raw`"(?:[^"\\]|\\.)*"`;
const REPO = new RegExp(
  String.raw`(\w+):\s*repository\(\s*owner:\s*(${STR}),\s*name:\s*(${STR})\s*\)\s*\{\s*(\w+):\s*object\(\s*oid:\s*(${STR})\s*\)\s*\{\s*\.\.\.\s*on\s+Commit\s*\{`,
  'g',
);
const HISTORY = new RegExp(
  String.raw`(\w+):\s*history\(\s*first:\s*1\s*,\s*path:\s*(${STR})\s*\)\s*\{\s*nodes\s*\{\s*oid\s+committedDate\s+author\s*\{\s*name\s+user\s*\{\s*login\s*\}\s*\}\s*\}\s*\}`,
  'g',
);

const errors = (message: string, extra: Record<string, unknown> = {}): Reply => ({ status: 200, body: { errors: [{ message, ...extra }] } });

export async function graphqlReply(find: (owner: string, name: string) => HostedRepo | undefined, body: Buffer): Promise<Reply> {
  let query: unknown;
  try {
    query = (JSON.parse(body.toString('utf8')) as { query?: unknown }).query;
  } catch {
    return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' } };
  }
  if (typeof query !== 'string') return errors('A query attribute must be specified and must be a string.');
  const blocks = [...query.matchAll(REPO)];
  if (blocks.length === 0) return errors('the fake GitHub only answers the last-commit-per-path query (see fakeGitHubGraphql.ts)');
  const data: Record<string, unknown> = {};
  const errs: unknown[] = [];
  for (const [i, b] of blocks.entries()) {
    const [, alias, ownerLit, nameLit, objAlias, oidLit] = b as unknown as [string, string, string, string, string, string];
    const end = blocks[i + 1]?.index ?? query.length;
    const inner = query.slice(b.index! + b[0].length, end);
    const owner = JSON.parse(ownerLit) as string;
    const name = JSON.parse(nameLit) as string;
    const h = find(owner, name);
    if (!h) {
      data[alias] = null;
      errs.push({ type: 'NOT_FOUND', path: [alias], locations: [], message: `Could not resolve to a Repository with the name '${owner}/${name}'.` });
      continue;
    }
    const oid = JSON.parse(oidLit) as string;
    const commit = /^[0-9a-f]{40}$/.test(oid) ? await h.repo.resolve(oid) : undefined;
    if (!commit) {
      data[alias] = { [objAlias]: null };
      continue;
    }
    const fields = [...inner.matchAll(HISTORY)].map((m) => ({ alias: m[1]!, path: JSON.parse(m[2]!) as string }));
    const last = await h.repo.lastCommits(
      commit,
      fields.map((f) => f.path),
    );
    const object: Record<string, unknown> = {};
    for (const { alias, path } of fields) {
      const c = last.get(path);
      object[alias] = { nodes: c ? [{ oid: c.sha, committedDate: c.committer.date, author: { name: c.author.name, user: null } }] : [] };
    }
    data[alias] = { [objAlias]: object, ...(/\bisPrivate\b/.test(inner) ? { isPrivate: h.private === true } : {}) };
  }
  return { status: 200, body: errs.length ? { data, errors: errs } : { data } };
}
