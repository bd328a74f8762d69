/**
 * GitHub's `GET /repos/{owner}/{repo}/git/matching-refs/{ref}`: the branches or tags whose names start
 * with a prefix, in one request, conditional on the last answer (a 304 is free and answers the
 * remembered list). What discoverVersions lists a versioned source's versions with.
 */
import type { Octokit } from '@octokit/rest';
import { call, RequestMeter, type ValidatorStore } from './gitHubCall.ts';
import { gateFor } from './requestGate.ts';

export interface MatchingRef {
  /** Full ref name, `refs/tags/v1.2`. */
  ref: string;
  sha: string;
}

export type ListRefs = (repo: { owner: string; name: string }, prefix: string) => Promise<MatchingRef[]>;

/** `prefix` is `tags/<start>` or `heads/<start>`. */
export function listMatchingRefs(octokit: Octokit, validators?: ValidatorStore, meter = new RequestMeter()): ListRefs {
  const ctx = { octokit, gate: gateFor(octokit), meter, retry: {}, ...(validators ? { validators } : {}) };
  return async (repo, prefix) => {
    const label = `${repo.owner}/${repo.name}`;
    const { value } = await call(
      ctx,
      label,
      // The prefix's slashes stay slashes in the path, as in GitHub's documentation (`matching-refs/tags/v`).
      (signal, headers) =>
        octokit.request(`GET /repos/{owner}/{repo}/git/matching-refs/${prefix.split('/').map(encodeURIComponent).join('/')}`, {
          owner: repo.owner,
          repo: repo.name,
          headers,
          request: { signal },
        }),
      (res): MatchingRef[] => {
        if (!Array.isArray(res.data)) throw new Error(`GitHub sent an unexpected list of refs for ${label}`);
        return (res.data as Array<{ ref?: unknown; object?: { sha?: unknown } }>).flatMap((r) =>
          typeof r.ref === 'string' && typeof r.object?.sha === 'string' ? [{ ref: r.ref, sha: r.object.sha }] : [],
        );
      },
      { cacheKey: `GET /repos/${label.toLowerCase()}/git/matching-refs/${prefix}` },
    );
    return value;
  };
}
