/**
 * The local server's commit statuses for PR previews: `queued(id)` right after a delivery was queued
 * (the webhook's onQueued: `pending` for a preview build, in the background so the 202 never waits),
 * `finish(build)` when a build is final (the builder's onFinal). What was set, or why nothing could be,
 * is kept on the build record (`commitStatus`), so the build page shows it. Thin: the logic is
 * core/preview/createCommitStatusReporter.ts.
 */
import type { Config } from '../core/config/loadConfig.ts';
import { createGitHubClient } from '../core/fetch/createGitHubClient.ts';
import { type CommitStatusReporter, createCommitStatusReporter } from '../core/preview/createCommitStatusReporter.ts';
import type { BuildQueue } from '../core/queue/BuildQueue.ts';
import { type BuildRecord, FINAL_STATES } from '../core/types.ts';

export interface PreviewStatusHooks {
  /** A build was queued: set `pending` when it is a preview. */
  queued(buildId: string): void;
  /** A build is final: set its preview's status. */
  finish(build: BuildRecord): void;
  reporter: CommitStatusReporter;
  /** Cancel updates still retrying and wait for the rest (shutdown). */
  close(): Promise<void>;
}

export function previewStatusHooks(o: {
  config: Config;
  queue: Pick<BuildQueue, 'get' | 'save'>;
  secrets: readonly string[];
  /** Already redacting. */
  log: (line: string) => void;
  fetch?: typeof globalThis.fetch;
  retry?: { minTimeout?: number; maxTimeout?: number; retries?: number };
}): PreviewStatusHooks {
  const { config, queue, log } = o;
  const stop = new AbortController();
  const reporter = createCommitStatusReporter({
    octokit: createGitHubClient({
      baseUrl: config.githubApiUrl,
      ...(config.githubToken ? { token: config.githubToken } : {}),
      ...(o.fetch ? { fetch: o.fetch } : {}),
      // Octokit's line per failed request is left out: the reporter logs the outcome (and each retry) itself.
      warn: (m) => (/ - \d{3} with id /.test(m) ? undefined : log(m)),
    }),
    log,
    secrets: o.secrets,
    inbound: config.previewInbound,
    buildUrl: (id) => `${config.publicUrl}/_builds/${id}`,
    retry: { ...o.retry, signal: stop.signal },
    record: (id, note) => {
      const build = queue.get(id);
      if (!build || !FINAL_STATES.has(build.state)) return;
      build.commitStatus = note;
      queue.save(build);
    },
  });
  return {
    queued(id) {
      const build = queue.get(id);
      if (build?.trigger.kind === 'preview') reporter.pending(build.trigger, build.id);
    },
    finish: (build) => reporter.finish(build),
    reporter,
    async close() {
      stop.abort();
      await reporter.settled();
    },
  };
}
