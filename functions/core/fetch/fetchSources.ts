import type { Octokit } from '@octokit/rest';
import type { FetchedSource, PushChanges, SourceConfig } from '../types.ts';
import type { FetchResult } from './docFiles.ts';
import { openFetchCache, type FetchCache } from './fetchCache.ts';
import { syncEnv, type FetchGitHubOptions } from './fetchGitHubSource.ts';
import { fetchLocalSource } from './fetchLocalSource.ts';
import { RequestMeter, type RequestCount } from './gitHubCall.ts';
import { lastCommits } from './lastCommits.ts';
import { mapLimit } from './mapLimit.ts';
import { gateFor } from './requestGate.ts';
import { syncGitHubSource } from './syncGitHubSource.ts';
import type { SourceSync, SyncMode } from './syncTypes.ts';

export interface FetchSourcesDeps {
  /** Needed when any source is a GitHub repository (see createGitHubClient). */
  octokit?: Octokit;
  /** Sources fetched at once (default 3); requests in flight are capped per token anyway (RequestGate). */
  concurrency?: number;
  /** Options for each GitHub source (retry, strategy, limits, gate…). */
  github?: Omit<FetchGitHubOptions, 'octokit'>;
  /** Ignore every cache, snapshot and change list: download everything afresh. */
  full?: boolean;
  /** Last good snapshot per source id (may be missing or stale). */
  previous?: ReadonlyMap<string, FetchedSource>;
  /** What pushes changed since, per source id (from the webhook payloads). */
  changes?: ReadonlyMap<string, PushChanges>;
  /** Persistent cache (openFetchCache(join(DATA_DIR, 'cache', 'github'))); default: this call only. */
  cache?: FetchCache;
  /** "Last updated" per file: `graphql` (default when the client has a token) or `none`. */
  lastUpdated?: 'graphql' | 'none';
  /** Paths per GraphQL query for last commits (default 100). */
  historyBatch?: number;
  signal?: AbortSignal;
  /** One line per source (what was read, how, at what cost) and per retry. Never holds secrets. */
  onProgress?: (line: string) => void;
}

export interface FetchSourcesResult {
  /** In the order of `sources`. */
  fetched: FetchResult[];
  /** Sources that could not be read; the message says what happened and what to do. */
  failures: Array<{ source: string; error: string }>;
  /** GitHub requests sent (every attempt and redirect hop) and those charged to the rate limit. */
  requests: RequestCount;
  /** How each fetched GitHub source was brought up to date, and what it cost. */
  stats: Array<{ source: string; mode: SyncMode; requests: RequestCount }>;
}

async function hasToken(octokit: Octokit): Promise<boolean> {
  const auth = (await octokit.auth().catch(() => undefined)) as { type?: string } | undefined;
  return auth?.type !== undefined && auth.type !== 'unauthenticated';
}

/**
 * Fetch the given sources (the caller decides which a push touched), local or GitHub, as cheaply as
 * GitHub allows (see syncGitHubSource): push lists, conditional requests, the compare API, a
 * content-addressed cache, one tarball for a cold source. Then the last commit of every file whose
 * last commit is not known yet, in bulk (GraphQL). A failing source is reported, never thrown.
 */
export async function fetchSources(sources: readonly SourceConfig[], deps: FetchSourcesDeps = {}): Promise<FetchSourcesResult> {
  const meter = new RequestMeter();
  const cache = deps.cache ?? (await openFetchCache());
  const progress = deps.onProgress ?? (() => {});
  const full = deps.full === true;
  const gate = deps.github?.gate ?? (deps.octokit ? gateFor(deps.octokit) : undefined);
  const stats: FetchSourcesResult['stats'] = [];

  const outcomes = await mapLimit(sources, deps.concurrency ?? 3, async (source) => {
    try {
      if (!source.repo) return { ok: await fetchLocalSource(source) };
      if (!deps.octokit) throw new Error(`source "${source.id}" is a GitHub repository but no GitHub client was given`);
      const own = new RequestMeter(meter);
      const env = syncEnv(source, {
        ...deps.github,
        octokit: deps.octokit,
        meter: own,
        cache,
        useCache: !full,
        ...(gate ? { gate } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
        onRetry: (m) => progress(`${source.id}: ${m}`),
      });
      const previous = deps.previous?.get(source.id);
      const changes = deps.changes?.get(source.id);
      const sync = await syncGitHubSource(source, env, { full, ...(previous ? { previous } : {}), ...(changes ? { changes } : {}) });
      // What GitHub said about the repository's privacy holds until a query says otherwise (fillLastCommits).
      if (previous?.private !== undefined && !full) sync.result.private = previous.private;
      stats.push({ source: source.id, mode: sync.mode, requests: own.count });
      progress(
        `${source.id}: ${sync.mode} at ${sync.result.sha.slice(0, 7)} (${sync.result.ref}), ${sync.result.files.length} files, ${own.count.total} requests (${own.count.counted} counted)${sync.note ? ` — ${sync.note}` : ''}`,
      );
      return { sync };
    } catch (err) {
      return { failure: { source: source.id, error: err instanceof Error ? err.message : String(err) } };
    }
  });

  deps.signal?.throwIfAborted(); // cancelled: say so, rather than report every source as failed
  const synced = outcomes.flatMap((o) => ('sync' in o && o.sync ? [o.sync] : []));
  await fillLastCommits(synced, deps, meter, cache, progress);
  for (const s of synced) {
    await cache.setManifest(s.result.source, {
      sha: s.result.sha,
      ref: s.result.ref,
      skipped: s.result.skipped,
      files: s.result.files.map((f) => ({ path: f.path, blob: s.blobs.get(f.path)!, ...(f.lastCommit ? { lastCommit: f.lastCommit } : {}) })),
    });
  }
  await cache.save().catch((err: unknown) => progress(`the fetch cache could not be saved: ${err instanceof Error ? err.message : String(err)}`));

  const fetched: FetchResult[] = [];
  const failures: FetchSourcesResult['failures'] = [];
  for (const o of outcomes) {
    if ('ok' in o && o.ok) fetched.push(o.ok);
    else if ('sync' in o && o.sync) fetched.push(o.sync.result);
    else if ('failure' in o && o.failure) failures.push(o.failure);
  }
  stats.sort((a, b) => sources.findIndex((s) => s.id === a.source) - sources.findIndex((s) => s.id === b.source));
  return { fetched, failures, requests: meter.count, stats };
}

/** Ask GitHub (GraphQL, in bulk across sources) for the last commits nobody could tell us. */
async function fillLastCommits(
  synced: SourceSync[],
  deps: FetchSourcesDeps,
  meter: RequestMeter,
  cache: FetchCache,
  progress: (line: string) => void,
): Promise<void> {
  const wanting = synced.filter((s) => s.needHistory.length > 0);
  if (!wanting.length || !deps.octokit) return;
  const mode = deps.lastUpdated ?? ((await hasToken(deps.octokit)) ? 'graphql' : 'none');
  if (mode === 'none') return;
  const ctx = {
    octokit: deps.octokit,
    gate: deps.github?.gate ?? gateFor(deps.octokit),
    meter,
    retry: { ...deps.github?.retry, ...(deps.signal ? { signal: deps.signal } : {}) },
    validators: cache,
  };
  const requests = wanting.map((s) => ({ owner: s.result.source.repo!.owner, name: s.result.source.repo!.name, sha: s.result.sha, paths: s.needHistory }));
  const { found, errors, private: privacy } = await lastCommits(ctx, requests, deps.historyBatch ? { batch: deps.historyBatch } : {});
  wanting.forEach((s, i) => {
    const isPrivate = privacy.get(i);
    if (isPrivate !== undefined) s.result.private = isPrivate;
    for (const f of s.result.files) {
      const commit = found.get(`${i}:${f.path}`);
      if (commit) f.lastCommit = commit;
    }
  });
  for (const e of errors) progress(e);
}
