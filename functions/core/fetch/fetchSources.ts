import type { Octokit } from '@octokit/rest';
import type { SourceConfig } from '../types.ts';
import type { FetchResult } from './docFiles.ts';
import { fetchGitHubSource, type FetchGitHubOptions } from './fetchGitHubSource.ts';
import { fetchLocalSource } from './fetchLocalSource.ts';
import { mapLimit } from './mapLimit.ts';

export interface FetchSourcesDeps {
  /** Needed when any source is a GitHub repository (see createGitHubClient). */
  octokit?: Octokit;
  /** Sources fetched at once (default 3). */
  concurrency?: number;
  /** Options for each GitHub source (retry, blob concurrency, strategy…). */
  github?: Omit<FetchGitHubOptions, 'octokit'>;
}

export interface FetchSourcesResult {
  /** In the order of `sources`. */
  fetched: FetchResult[];
  /** Sources that could not be read; the message says what happened and what to do. */
  failures: Array<{ source: string; error: string }>;
}

/** Fetch every source, local or GitHub, a few at a time. A failing source is reported, never thrown. */
export async function fetchSources(sources: readonly SourceConfig[], deps: FetchSourcesDeps = {}): Promise<FetchSourcesResult> {
  const outcomes = await mapLimit(sources, deps.concurrency ?? 3, async (source) => {
    try {
      if (source.repo) {
        if (!deps.octokit) throw new Error(`source "${source.id}" is a GitHub repository but no GitHub client was given`);
        return { ok: await fetchGitHubSource(source, { ...deps.github, octokit: deps.octokit }) };
      }
      return { ok: await fetchLocalSource(source) };
    } catch (err) {
      return { failure: { source: source.id, error: err instanceof Error ? err.message : String(err) } };
    }
  });
  const fetched: FetchResult[] = [];
  const failures: FetchSourcesResult['failures'] = [];
  for (const o of outcomes) {
    if (o.ok) fetched.push(o.ok);
    else if (o.failure) failures.push(o.failure);
  }
  return { fetched, failures };
}
