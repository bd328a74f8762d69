import type { SourceFile } from '../types.ts';
import { IncompleteResponseError } from './errors.ts';
import { call, type CallContext } from './gitHubCall.ts';
import { mapLimit } from './mapLimit.ts';

export type LastCommit = NonNullable<SourceFile['lastCommit']>;

/** Paths of one repository at one commit whose last commit is wanted. */
export interface HistoryRequest {
  owner: string;
  name: string;
  sha: string;
  paths: string[];
}

type Res = { status: number; headers: Record<string, string | number | undefined>; data: unknown };
type Node = { oid?: unknown; committedDate?: unknown; author?: { name?: unknown } | null };
type RepoData = { c?: Record<string, { nodes?: Node[] }> | null; isPrivate?: unknown };

/** GitHub Enterprise serves GraphQL at /api/graphql next to the REST /api/v3. */
const graphqlUrl = (restBase: string): string => `${restBase.replace(/\/+$/, '').replace(/\/api\/v3$/, '/api')}/graphql`;

type Item = { index: number; repo: HistoryRequest; path: string };

/** Group consecutive items of one request under one aliased `repository` field. */
function groups(items: Item[]): Array<{ index: number; repo: HistoryRequest; paths: string[] }> {
  const out: Array<{ index: number; repo: HistoryRequest; paths: string[] }> = [];
  for (const it of items) {
    const last = out.at(-1);
    if (last && last.index === it.index) last.paths.push(it.path);
    else out.push({ index: it.index, repo: it.repo, paths: [it.path] });
  }
  return out;
}

function queryOf(batch: Array<{ repo: HistoryRequest; paths: string[] }>): string {
  const s = JSON.stringify;
  const repos = batch.map(({ repo, paths }, r) => {
    const fields = paths.map((p, f) => `f${f}: history(first: 1, path: ${s(p)}) { nodes { oid committedDate author { name user { login } } } }`);
    // isPrivate rides along for free: the status pages are protected by default for private repositories.
    return `r${r}: repository(owner: ${s(repo.owner)}, name: ${s(repo.name)}) { c: object(oid: ${s(repo.sha)}) { ... on Commit { ${fields.join(' ')} } } isPrivate }`;
  });
  return `query { ${repos.join(' ')} }`;
}

/**
 * The last commit touching each path ("last updated"), asked of GitHub's GraphQL API in bulk: one
 * query answers up to `batch` paths (default 100: one rate-limit point), across repositories, with
 * aliased `history(first: 1, path:)` fields. A query GitHub cannot answer (e.g. it timed out on a
 * huge history) is split in two and asked again, down to 10 paths; what still fails is reported in
 * `errors` (those pages just show no date), never thrown. Keys: `<index of the request>:<path>`.
 * `private`: whether GitHub says each request's repository is private, by request index.
 */
export async function lastCommits(
  ctx: CallContext,
  requests: HistoryRequest[],
  { batch = 100 }: { batch?: number } = {},
): Promise<{ found: Map<string, LastCommit>; errors: string[]; private: Map<number, boolean> }> {
  const items: Item[] = requests.flatMap((repo, index) => repo.paths.map((path) => ({ index, repo, path })));
  const batches = Array.from({ length: Math.ceil(items.length / batch) }, (_, i) => items.slice(i * batch, (i + 1) * batch));
  const found = new Map<string, LastCommit>();
  const privacy = new Map<number, boolean>();
  const errors: string[] = [];
  const url = graphqlUrl(String(ctx.octokit.request.endpoint.DEFAULTS.baseUrl));

  const ask = async (b: Item[]): Promise<void> => {
    const parts = groups(b);
    const label = [...new Set(parts.map((x) => `${x.repo.owner}/${x.repo.name}`))].join(', ');
    try {
      const { value } = await call(
        ctx,
        label,
        (signal) => ctx.octokit.request({ method: 'POST', url, query: queryOf(parts), request: { signal } }) as Promise<Res>,
        (res) => {
          const body = res.data as { data?: Record<string, RepoData | null>; errors?: Array<{ message?: unknown }> } | undefined;
          if (body?.data && typeof body.data === 'object') return body.data;
          const said = body?.errors?.map((e) => String(e.message)).join('; ');
          // GitHub refused the query itself: asking the same again would not help.
          if (said) throw new Error(`GitHub's GraphQL API refused the query: ${said}`);
          throw new IncompleteResponseError(`GitHub sent no data for the last commits in ${label}`);
        },
        { resource: 'graphql' },
      );
      parts.forEach((part, r) => {
        const isPrivate = value[`r${r}`]?.isPrivate;
        if (typeof isPrivate === 'boolean') privacy.set(part.index, isPrivate);
        const object = value[`r${r}`]?.c;
        part.paths.forEach((path, f) => {
          const node = object?.[`f${f}`]?.nodes?.[0];
          if (typeof node?.oid !== 'string' || typeof node.committedDate !== 'string') return;
          const author = typeof node.author?.name === 'string' ? { author: node.author.name } : {};
          found.set(`${part.index}:${path}`, { sha: node.oid, date: node.committedDate, ...author });
        });
      });
    } catch (err) {
      if (ctx.retry.signal?.aborted) throw err;
      const status = (err as { status?: unknown }).status;
      if (b.length > 10 && status !== 401 && status !== 403) {
        const half = Math.ceil(b.length / 2);
        await Promise.all([ask(b.slice(0, half)), ask(b.slice(half))]);
      } else errors.push(`last-updated dates for ${b.length} file(s) of ${label} are missing: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  await mapLimit(batches, 4, ask);
  return { found, errors, private: privacy };
}
