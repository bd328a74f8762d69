/**
 * A fake GitHub REST API of our own for tests: a real HTTP server on 127.0.0.1 backed by real bare git
 * repositories (so shas, trees, blobs and tarballs are what git produces), with GitHub's JSON shapes,
 * headers (`x-ratelimit-*`, `etag`, `link`), auth (401 Bad credentials), rate limits and injectable faults.
 *
 * The pieces: fakeGitHubHandler.ts (answering a request: faults, auth, rate limits, headers),
 * fakeGitHubFaults.ts (injected and random faults), fakeGitHubApi.ts (+ Contents, Graphql: the routes),
 * gitRepo.ts (the git repositories).
 *
 *   const gh = await startFakeGitHub({ token: 't0ken' });
 *   const sha = await gh.createRepo('devsapp', 'fc', { 'docs/readme.md': '# FC' });
 *   gh.inject({ kind: 'status', status: 502, times: 2, path: /git\/trees/ });
 *   gh.faultRates({ seed: 7, status: 0.2, reset: 0.1 });   // random faults on every request, reproducibly
 *   await gh.commit('devsapp', 'fc', { branch: 'fix', files: { 'docs/readme.md': '# FC!' } });
 *   const n = await gh.openPullRequest('devsapp', 'fc', { head: 'fix' });   // or a fork: forkRepo + headOwner
 *   const pr = await gh.pullRequest('devsapp', 'fc', n);                    // GitHub's JSON, for deliveries
 *   … createGitHubClient({ baseUrl: gh.url, token: 't0ken' }) …
 *   await gh.close();
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiContext, HostedRepo } from './fakeGitHubApi.ts';
import { fakeGitHubFaults, type Fault, type FaultRates } from './fakeGitHubFaults.ts';
import { fakeGitHubHandler, type FakeRequest } from './fakeGitHubHandler.ts';
import { type FakePull, newPull, pullJson, pullKey, syncHead, updatePull } from './fakeGitHubPulls.ts';
import { fakeGitHubStatuses, type FakeGitHubStatuses } from './fakeGitHubStatuses.ts';
import { git, GitRepo, type CommitOptions, type FileSpec } from './gitRepo.ts';
import { seededRandom as seededGenerator } from './seededRandom.ts';

export type { CommitOptions, FileSpec } from './gitRepo.ts';
export type { Fault, FaultRates } from './fakeGitHubFaults.ts';
export type { FakeRequest } from './fakeGitHubHandler.ts';

export interface FakeGitHubOptions {
  /** When set, every API request must carry `authorization: token|Bearer <token>`, else 401. */
  token?: string;
  /** Requests per hour; GitHub's 5000 with a token, 60 without. */
  rateLimit?: number;
  /** Trees longer than this are cut and answered with `truncated: true`. */
  maxTreeEntries?: number;
  /** Files a compare lists at most (GitHub: 300). */
  maxCompareFiles?: number;
  /** Every answer waits this long first (to observe how many requests a client keeps in flight). */
  latencyMs?: number;
}

export interface FakeGitHub {
  url: string;
  requests: FakeRequest[];
  /** Create a repository with one commit of `files` (none when `files` is empty); returns its sha ('' if empty). */
  createRepo(owner: string, name: string, files: Record<string, FileSpec>, opts?: { defaultBranch?: string; private?: boolean }): Promise<string>;
  commit(owner: string, name: string, opts: CommitOptions): Promise<string>;
  /** A fork of `owner/name` under `toOwner` (same history, its own branches): REST `fork: true`. */
  forkRepo(owner: string, name: string, toOwner: string): Promise<void>;
  /** Open a pull request from branch `head` (of `headOwner`'s fork, default the same repository) into `base` (default branch); returns its number. */
  openPullRequest(owner: string, name: string, spec: PullSpec): Promise<number>;
  /** Close (merged or not), reopen, or mark ready for review / draft. */
  updatePullRequest(owner: string, name: string, number: number, change: Parameters<typeof updatePull>[1]): Promise<void>;
  /** GitHub's JSON for a pull request (as the API and `pull_request` deliveries carry it). */
  pullRequest(owner: string, name: string, number: number): Promise<Record<string, any>>;
  /** The git repository behind `owner/name`, for direct inspection. */
  repo(owner: string, name: string): GitRepo;
  inject(fault: Fault): void;
  /** Random faults on every request from now on (undefined: stop). */
  faultRates(rates: FaultRates | undefined): void;
  /** Most requests in flight at once since the start (or the last `resetPeak`). */
  peakInFlight(): number;
  resetPeak(): void;
  /** Faults not yet used up. */
  pendingFaults(): number;
  /** The commit statuses set (`of`), and whether the token may write them (`access`): fakeGitHubStatuses.ts. */
  statuses: FakeGitHubStatuses;
  close(): Promise<void>;
}

export interface PullSpec {
  head: string;
  headOwner?: string;
  base?: string;
  title?: string;
  body?: string;
  draft?: boolean;
  /** Login of the author (default: the head repository's owner). */
  user?: string;
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const root = await mkdtemp(join(tmpdir(), 'fake-github-'));
  const repos = new Map<string, HostedRepo>();
  const faults = fakeGitHubFaults();
  const requests: FakeRequest[] = [];
  const key = (o: string, n: string): string => `${o}/${n}`.toLowerCase();
  const pulls = new Map<string, FakePull>();
  const ctx: ApiContext = { api: '', find: (o, n) => repos.get(key(o, n)), cache: new Map(), pulls };
  if (options.maxTreeEntries !== undefined) ctx.maxTreeEntries = options.maxTreeEntries;
  if (options.maxCompareFiles !== undefined) ctx.maxCompareFiles = options.maxCompareFiles;
  let inFlight = 0;
  let peak = 0;
  const statuses = fakeGitHubStatuses(ctx, () => repos.values());
  const handle = fakeGitHubHandler({ options, ctx, requests, takeFault: faults.take, statuses });

  const server = createServer((req, res) => {
    peak = Math.max(peak, ++inFlight);
    let done = false;
    const finished = (): void => {
      if (!done) inFlight--;
      done = true;
    };
    res.on('close', finished);
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`fake GitHub failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  ctx.api = `http://127.0.0.1:${port}`;

  const hosted = (owner: string, name: string): HostedRepo => {
    const h = repos.get(key(owner, name));
    if (!h) throw new Error(`fake GitHub: no repository ${owner}/${name}; call createRepo first`);
    return h;
  };

  const gh: FakeGitHub = {
    url: ctx.api,
    requests,
    async createRepo(owner, name, files, opts = {}) {
      if (repos.has(key(owner, name))) throw new Error(`fake GitHub: ${owner}/${name} already exists`);
      const repo = await GitRepo.init(join(root, `${repos.size}-${owner}-${name}.git`), opts.defaultBranch ?? 'main');
      repos.set(key(owner, name), {
        owner,
        name,
        id: 1000 + repos.size,
        repo,
        createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        ...(opts.private ? { private: true } : {}),
      });
      return Object.keys(files).length ? repo.commit({ files, message: 'Initial commit' }) : '';
    },
    commit: (owner, name, opts) => hosted(owner, name).repo.commit(opts),
    async forkRepo(owner, name, toOwner) {
      const from = hosted(owner, name);
      await gh.createRepo(toOwner, name, {}, { defaultBranch: from.repo.defaultBranch });
      const fork = hosted(toOwner, name);
      fork.fork = true;
      await git(fork.repo.dir, ['fetch', '--quiet', '--no-tags', from.repo.dir, '+refs/heads/*:refs/heads/*']);
    },
    async openPullRequest(owner, name, spec) {
      const base = hosted(owner, name);
      const head = spec.headOwner ? hosted(spec.headOwner, name) : base;
      const number = 1 + [...pulls.values()].filter((p) => p.base === base).length;
      const pull = newPull({
        number,
        base,
        baseRef: spec.base ?? base.repo.defaultBranch,
        head,
        headRef: spec.head,
        title: spec.title ?? `Update ${spec.head}`,
        body: spec.body ?? '',
        user: spec.user ?? head.owner,
        draft: spec.draft ?? false,
      });
      await syncHead(pull);
      pulls.set(pullKey(base, number), pull);
      return number;
    },
    async updatePullRequest(owner, name, number, change) {
      const pull = pulls.get(pullKey(hosted(owner, name), number));
      if (!pull) throw new Error(`fake GitHub: no pull request ${owner}/${name}#${number}`);
      if (change.state === 'closed') await syncHead(pull);
      updatePull(pull, change);
    },
    async pullRequest(owner, name, number) {
      const pull = pulls.get(pullKey(hosted(owner, name), number));
      if (!pull) throw new Error(`fake GitHub: no pull request ${owner}/${name}#${number}`);
      return pullJson(ctx.api, pull);
    },
    repo: (owner, name) => hosted(owner, name).repo,
    inject: faults.inject,
    pendingFaults: faults.pending,
    statuses,
    faultRates: faults.rates,
    peakInFlight: () => peak,
    resetPeak() {
      peak = inFlight;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
  return gh;
}

/**
 * A small seeded PRNG (mulberry32): the same seed gives the same numbers (faults, test data) in the same
 * order. The bare `next` of seededRandom.ts, kept here for the callers that import it from this file.
 */
export function seededRandom(seed: number): () => number {
  return seededGenerator(seed).next;
}
