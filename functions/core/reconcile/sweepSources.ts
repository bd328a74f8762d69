/**
 * One reconcile sweep: where is each GitHub source's branch now, compared with the commit the site
 * has? GitHub delivers a push once; when docs-sync was down the push is lost, and only asking
 * finds it. Each source costs one conditional request (`If-None-Match: "<live sha>"` on the commit
 * lookup, sha media type): GitHub answers `304` while the branch has not moved, and an authorized
 * 304 is not charged to the rate limit, so a sweep over unchanged repositories costs 0 points. The
 * branch comes from what the live copy was read at (a source without `ref` remembers the default
 * branch it resolved), so no repository lookup is needed. A moved source costs the lookup (200)
 * plus, when `listCommits`, one compare request naming the commits it is behind by.
 */
import type { Octokit } from '@octokit/rest';
import type { CompareCommit } from '../fetch/gitHubChanges.ts';
import { gitHubChanges } from '../fetch/gitHubChanges.ts';
import { RequestMeter, type RequestCount, type Validator } from '../fetch/gitHubCall.ts';
import { gitHubReader } from '../fetch/gitHubReader.ts';
import { mapLimit } from '../fetch/mapLimit.ts';
import { gateFor } from '../fetch/requestGate.ts';
import type { RetryOptions } from '../fetch/withRetry.ts';
import type { SourceConfig } from '../types.ts';

/** What a source's site copy was read at. */
export interface LiveCommit {
  sha: string;
  ref: string;
}

export interface SweptSource {
  id: string;
  repo: string;
  ref: string;
  /** The commit the site has (the last good copy). */
  live: string;
  /** The branch head now (undefined when the lookup failed: see `error`). */
  head?: string;
  moved: boolean;
  /** When moved and listed: the commits the site is behind by (oldest first), and how many in all. */
  commits?: CompareCommit[];
  totalCommits?: number;
  error?: string;
}

export interface SweepResult {
  checked: SweptSource[];
  /** GitHub sources with no live copy yet (the next build fetches them anyway). */
  unknown: string[];
  requests: RequestCount;
  at: string;
}

export interface SweepDeps {
  octokit: Octokit;
  live: (source: SourceConfig) => Promise<LiveCommit | undefined>;
  /** Ask the compare API for the commits of a moved source (one counted request each; default true). */
  listCommits?: boolean;
  retry?: RetryOptions;
  now?: () => number;
}

/** An in-memory validator store: the sha is the ETag, nothing needs remembering between sweeps. */
function validators(): { get(k: string): Validator | undefined; set(k: string, v: Validator): void } {
  const m = new Map<string, Validator>();
  return { get: (k) => m.get(k), set: (k, v) => void m.set(k, v) };
}

export async function sweepSources(sources: readonly SourceConfig[], deps: SweepDeps): Promise<SweepResult> {
  const meter = new RequestMeter();
  const ctx = { octokit: deps.octokit, gate: gateFor(deps.octokit), meter, retry: { retries: 2, ...deps.retry }, validators: validators() };
  const unknown: string[] = [];
  const github = sources.filter((s) => s.repo);
  const checked = (
    await mapLimit(github, 4, async (source): Promise<SweptSource | undefined> => {
      const live = await deps.live(source);
      if (!live) return void unknown.push(source.id);
      const repo = `${source.repo!.owner}/${source.repo!.name}`;
      const ref = source.ref ?? live.ref;
      const reader = gitHubReader(ctx, source.repo!);
      try {
        const { sha, changed } = await reader.resolveCommit(ref, live.sha);
        const out: SweptSource = { id: source.id, repo, ref, live: live.sha, head: sha, moved: changed && sha !== live.sha };
        if (out.moved && deps.listCommits !== false) {
          const compared = await gitHubChanges(reader)
            .compare(live.sha, sha)
            .catch(() => undefined);
          if (compared) Object.assign(out, { commits: compared.commits, totalCommits: compared.totalCommits });
        }
        return out;
      } catch (err) {
        return { id: source.id, repo, ref, live: live.sha, moved: false, error: err instanceof Error ? err.message : String(err) };
      }
    })
  ).filter((s): s is SweptSource => s !== undefined);
  return { checked, unknown, requests: meter.count, at: new Date((deps.now ?? Date.now)()).toISOString() };
}
