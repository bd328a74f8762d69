/**
 * The GitHub commit status of PR previews (issue 10 item 2), context `docs-sync/preview` on the PR head:
 * `pending` when the preview is queued, then `success` / `failure` / `error` when its build is final
 * (previewStatus.ts says which, with the one-line summary and the preview URL as target). Each update
 * is one `repos.createCommitStatus` through the fetch layer's `call` (request gate, withRetry, meter).
 *
 * Nothing here may hold up or break a preview: `pending` and `finish` return at once (the work runs
 * in the background, in order per repository so a late `pending` never overwrites the final state),
 * and every failure is logged, never thrown. A token that may not write statuses (403/404/401) gets
 * one diagnostic naming the permission (logged once, recorded on each preview build of that
 * repository through `record`); no more status calls are made for that repository until restart.
 */
import type { Octokit } from '@octokit/rest';
import { call, RequestMeter, type RequestCount } from '../fetch/gitHubCall.ts';
import { gateFor } from '../fetch/requestGate.ts';
import type { RetryOptions } from '../fetch/withRetry.ts';
import { redact } from '../notify/redact.ts';
import type { BuildRecord, CommitStatusNote, PreviewTrigger } from '../types.ts';
import { type PreviewStatus, type PreviewStatusOptions, previewStatus } from './previewStatus.ts';
import { statusAccessProblem } from './statusAccessProblem.ts';

/** The status context every preview status uses (branch protection can require it). */
export const PREVIEW_CONTEXT = 'docs-sync/preview';

export interface CommitStatusReporterOptions extends PreviewStatusOptions {
  octokit: Octokit;
  /** One line per problem or update; redacted here too. */
  log: (line: string) => void;
  retry?: RetryOptions;
  /** Called when a preview build's status is known to be set (or not, and why): keep it on the build record. */
  record?: (buildId: string, note: CommitStatusNote) => void;
}

export interface CommitStatusReporter {
  /**
   * The preview of `trigger` was queued as build `buildId`: set `pending` (in the background), linking to
   * the build's page when `buildUrl` is given. Close triggers set nothing.
   */
  pending(trigger: PreviewTrigger, buildId?: string): void;
  /** A build reached its final state: set its preview's status (in the background). Other builds are ignored. */
  finish(build: BuildRecord): void;
  /** Resolves when every update started so far is done (tests, shutdown). */
  settled(): Promise<void>;
  /** Status requests sent so far (each attempt). */
  requests(): RequestCount;
}

const PENDING: PreviewStatus = { state: 'pending', description: 'Building the site preview with this commit' };

export function createCommitStatusReporter(options: CommitStatusReporterOptions): CommitStatusReporter {
  const { octokit, retry = {} } = options;
  const log = (line: string): void => options.log(redact(line, options.secrets));
  const meter = new RequestMeter();
  const ctx = { octokit, gate: gateFor(octokit), meter, retry: { ...retry, onRetry: retry.onRetry ?? log } };
  /** Repositories whose token may not write statuses: the diagnostic, said once. */
  const refused = new Map<string, string>();
  const chains = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();

  async function send(repo: string, sha: string, status: PreviewStatus): Promise<CommitStatusNote> {
    const problem = refused.get(repo);
    if (problem) return { problem };
    const [owner, name] = repo.split('/') as [string, string];
    try {
      await call(
        ctx,
        `commit status on ${repo}`,
        (signal) => octokit.rest.repos.createCommitStatus({ owner, repo: name, sha, context: PREVIEW_CONTEXT, ...status, request: { signal } }),
        () => undefined,
      );
      return { state: status.state, description: status.description };
    } catch (err) {
      const denied = statusAccessProblem(err, repo);
      if (denied) {
        refused.set(repo, denied);
        log(denied);
        return { problem: denied };
      }
      const message = `Commit status ${status.state} on ${repo}@${sha.slice(0, 7)} not set: ${err instanceof Error ? err.message : String(err)}`;
      log(message);
      return { problem: message };
    }
  }

  /** Run `job` after the earlier updates of the same repository, off the caller's path; never rejects. */
  function enqueue(repo: string, job: () => Promise<void>): void {
    const run = (chains.get(repo) ?? new Promise<void>((resolve) => setImmediate(resolve))).then(job).catch((err: unknown) => {
      log(`Commit status on ${repo}: ${err instanceof Error ? err.message : String(err)}`);
    });
    chains.set(repo, run);
    running.add(run);
    void run.finally(() => {
      running.delete(run);
      if (chains.get(repo) === run) chains.delete(repo);
    });
  }

  return {
    pending(trigger, buildId) {
      if (trigger.action !== 'open') return;
      const target = buildId === undefined ? undefined : options.buildUrl?.(buildId);
      const status = target ? { ...PENDING, target_url: target } : PENDING;
      enqueue(trigger.pr.repo, async () => void (await send(trigger.pr.repo, trigger.pr.headSha, status)));
    },
    finish(build) {
      if (build.trigger.kind !== 'preview') return;
      const { pr } = build.trigger;
      const status = previewStatus(build, options);
      if (!status) return;
      enqueue(pr.repo, async () => {
        const note = await send(pr.repo, pr.headSha, status);
        options.record?.(build.id, note);
      });
    },
    async settled() {
      while (running.size) await Promise.allSettled([...running]);
    },
    requests: () => ({ ...meter.count }),
  };
}
