import type { Config } from '../core/config/loadConfig.ts';
import { type BuildNotifier, createBuildNotifier } from '../core/notify/createBuildNotifier.ts';
import { createBuildSteps } from '../core/pipeline/createBuildSteps.ts';
import { createWorker, type Worker } from '../core/pipeline/createWorker.ts';
import { type BuildSteps, runBuild } from '../core/pipeline/runBuild.ts';
import { redact } from '../core/notify/redact.ts';
import { runPreviewBuild } from '../core/pipeline/runPreviewBuild.ts';
import { previewHosts } from '../core/http/previewHosts.ts';
import type { BuildQueue } from '../core/queue/BuildQueue.ts';
import type { BuildRecord, SourceConfig } from '../core/types.ts';

export interface BuilderOptions {
  config: Config;
  sources: SourceConfig[];
  queue: BuildQueue;
  /** Already redacting. */
  log: (line: string) => void;
  secrets: string[];
  fetch?: typeof globalThis.fetch;
  steps?: Partial<BuildSteps>;
  attemptTimeoutMs?: number;
  /** Reports final builds as NOTIFY_ON asks; default: one made from `config`. */
  notifier?: BuildNotifier;
  /** PR previews' commit statuses: told first (it only starts the update) when a build is final. */
  statuses?: { finish(build: BuildRecord): void };
  /** Told after the notifiers, for each build that reached its final state. */
  onFinal?: (build: BuildRecord) => void;
}

/** The builder: the pipeline run by a worker over the queue, reporting every final outcome. */
export function createBuilder(options: BuilderOptions): Worker {
  const { config, sources, queue, log, secrets } = options;
  const deps = options.fetch ? { fetch: options.fetch } : {};
  const steps: BuildSteps = { ...createBuildSteps(config, deps), ...options.steps };
  const notifier = options.notifier ?? createBuildNotifier({ config, sources, secrets, log, ...deps });
  const worker = createWorker({
    queue,
    log,
    // A failed attempt's message lands in the build record (GET /builds, the build page): never with a secret.
    redact: (text) => redact(text, secrets),
    ...(options.attemptTimeoutMs ? { attemptTimeoutMs: options.attemptTimeoutMs } : {}),
    run: (build, signal) => {
      const ctx = { sources, dataDir: config.dataDir, steps, log, signal, progress: (b: BuildRecord) => queue.save(b) };
      // A pull request's preview (published under DATA_DIR/previews, never the live site); every other build is live.
      return build.trigger.kind === 'preview'
        ? runPreviewBuild(build, { ...ctx, previewUrl: (key) => previewHosts(config.previewUrl).urlFor(key) })
        : runBuild(build, ctx);
    },
    onFinal: async (build) => {
      options.statuses?.finish(build);
      await notifier.notify(build);
      options.onFinal?.(build);
    },
  });
  // Stopping the builder also stops the warm site builder's process.
  return {
    ...worker,
    stop: async () => {
      await worker.stop();
      await steps.close?.();
    },
  };
}
