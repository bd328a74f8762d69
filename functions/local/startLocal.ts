import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { type Config, loadConfig, settingsEnv } from '../core/config/loadConfig.ts';
import { loadSources } from '../core/config/loadSources.ts';
import { createApp } from '../core/http/createApp.ts';
import { privateRepos } from '../core/http/privateRepos.ts';
import { describeStatusAccess } from '../core/http/statusAccess.ts';
import { createStatusGuard } from '../core/http/statusGuard.ts';
import { type BuildNotifier, createBuildNotifier } from '../core/notify/createBuildNotifier.ts';
import { notifyUnbuilt } from '../core/notify/notifyUnbuilt.ts';
import { redact } from '../core/notify/redact.ts';
import { secretsOf } from '../core/notify/secretsOf.ts';
import type { Worker } from '../core/pipeline/createWorker.ts';
import type { BuildSteps } from '../core/pipeline/runBuild.ts';
import { BuildQueue, type QueueOptions } from '../core/queue/BuildQueue.ts';
import { openDatabase } from '../core/queue/openDatabase.ts';
import { createRebuildHandler } from '../core/rebuild/createRebuildHandler.ts';
import { createRebuildLinkHandler } from '../core/rebuild/createRebuildLinkHandler.ts';
import { createRollbackHandler } from '../core/rebuild/createRollbackHandler.ts';
import { listReleases } from '../core/deploy/deployRelease.ts';
import { rollback } from '../core/deploy/rollback.ts';
import { ossRollbackRoutes } from '../core/deploy/oss/rollbackOss.ts';
import { envCredentials } from '../core/config/cloudCredentials.ts';
import type { SourceConfig } from '../core/types.ts';
import { createWebhookHandler } from '../core/webhook/createWebhookHandler.ts';
import { PREVIEWS_NEED_LOCAL } from '../core/webhook/decidePullRequest.ts';
import { createGitHubClient } from '../core/fetch/createGitHubClient.ts';
import { freshnessStatus } from '../core/reconcile/freshnessStatus.ts';
import { reconcileSources } from '../core/reconcile/reconcileSources.ts';
import { type ReconcileSchedule, scheduleReconcile } from '../core/reconcile/scheduleReconcile.ts';
import { createBuilder } from './createBuilder.ts';
import { createPreviewSiteHandler, createSiteHandler } from './createSiteHandler.ts';
import { type PreviewStatusHooks, previewStatusHooks } from './previewStatusHooks.ts';
import { expirePreviews } from '../core/deploy/previews.ts';
import { previewHosts } from '../core/http/previewHosts.ts';
import { toNodeListener } from './toNodeListener.ts';

export interface LocalOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where lines of progress go; secrets are redacted before they get here. */
  log?: (line: string) => void;
  fetch?: typeof globalThis.fetch;
  queue?: QueueOptions;
  attemptTimeoutMs?: number;
  /** Replace pipeline steps (tests). */
  steps?: Partial<BuildSteps>;
  /** Queue a first full build when nothing has been deployed yet (default true). */
  initialBuild?: boolean;
  host?: string;
  /** Run the builder in this process (default true); false = accept and queue only. */
  builder?: boolean;
}

export interface LocalRuntime {
  config: Config;
  sources: SourceConfig[];
  queue: BuildQueue;
  worker: Worker;
  /** Reports final builds (NOTIFY_ON); `settled()` waits for notifications in flight. */
  notifier: BuildNotifier;
  /** PR previews' commit statuses (`statuses.reporter.settled()` waits for updates in flight). */
  statuses: PreviewStatusHooks;
  server: Server;
  url: string;
  /** The reconcile schedule (absent when RECONCILE_EVERY=0, without a builder or GitHub sources). */
  reconcile?: ReconcileSchedule;
  close(): Promise<void>;
}

/**
 * Everything in one process: the HTTP server (webhook, rebuild, builds API, the site) and the
 * builder, fed by the embedded durable queue. Throws ConfigError on bad settings.
 */
export async function startLocal(options: LocalOptions = {}): Promise<LocalRuntime> {
  const config = loadConfig({ ...(options.env ? { env: options.env } : {}), ...(options.cwd ? { cwd: options.cwd } : {}) });
  const sources = loadSources(config.sourcesFile, settingsEnv({ ...(options.env ? { env: options.env } : {}), ...(options.cwd ? { cwd: options.cwd } : {}) }));
  const secrets = secretsOf(config, sources);
  const rawLog = options.log ?? ((line: string) => console.log(line));
  const log = (line: string) => rawLog(redact(line, secrets));
  mkdirSync(config.dataDir, { recursive: true });
  const queue = new BuildQueue(openDatabase(join(config.dataDir, 'queue.db')), options.queue);
  const recovered = queue.recoverInterrupted();
  if (recovered) log(`Resuming ${recovered} build(s) interrupted by a restart.`);

  // One notifier for the builder and the HTTP paths, so they share DingTalk's rate limit.
  const notifier = createBuildNotifier({ config, sources, secrets, log, ...(options.fetch ? { fetch: options.fetch } : {}) });
  // PR previews' GitHub commit status: pending when queued, the outcome when final (never delays either).
  const statuses = previewStatusHooks({ config, queue, secrets, log, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const builder =
    options.builder === false
      ? undefined
      : createBuilder({
          config,
          sources,
          queue,
          log,
          secrets,
          notifier,
          statuses,
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.steps ? { steps: options.steps } : {}),
          ...(options.attemptTimeoutMs ? { attemptTimeoutMs: options.attemptTimeoutMs } : {}),
        });

  const worker: Worker = builder ?? { wake: () => {}, idle: async () => {}, stop: async () => {} };
  const wake = () => worker.wake();
  // Skipped and superseded builds never reach the worker: reported from here when NOTIFY_ON lists them.
  const intake = notifyUnbuilt(queue, notifier);
  const status = createStatusGuard(config, () => privateRepos(queue.list(200), sources));
  log(describeStatusAccess(status.access()));
  const app = createApp({
    status,
    webhook: createWebhookHandler({
      secret: config.webhookSecret,
      sources,
      queue: intake,
      onQueued: (id) => {
        wake();
        statuses.queued(id);
      },
      previews: config.previews,
      ...(config.deploy.kind === 'local' ? {} : { previewsUnavailable: PREVIEWS_NEED_LOCAL }),
    }),
    rebuild: createRebuildHandler({ token: config.rebuildToken, sources, queue: intake, onQueued: wake }),
    rebuildLink: createRebuildLinkHandler({ token: config.rebuildToken, sources, queue: intake, onQueued: wake }),
    queue,
    preview: createPreviewSiteHandler(config.dataDir, previewHosts(config.previewUrl)),
    site: createSiteHandler(config.dataDir),
    publicUrl: config.publicUrl,
    // DEPLOY_TARGET=oss: POST /rollback and GET /releases act on the bucket.
    ...(config.deploy.kind === 'oss'
      ? ossRollbackRoutes(config.deploy, config.rebuildToken, envCredentials(process.env, 'the OSS deploy target'), log)
      : {
          rollback: createRollbackHandler({ token: config.rebuildToken, rollback: (release) => rollback(config.dataDir, release), log }),
          releases: async () => (await listReleases(config.dataDir)).map(({ release, activatedAt, current }) => ({ release, activatedAt, current })),
        }),
    freshness: async () =>
      freshnessStatus({
        sources,
        dataDir: config.dataDir,
        builds: queue.list(200),
        reconcileEveryMs: config.reconcileEveryMs,
        staleAfterMs: config.staleAfterMs,
      }),
    log,
  });
  const server = createServer(toNodeListener(app, log));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, options.host ?? '0.0.0.0', resolve);
  });
  const port = (server.address() as { port: number }).port;
  const url = `http://localhost:${port}`;
  // The default preview URL names PORT; with PORT=0 (any free port) it names the port taken.
  if (config.previewUrl.endsWith(':0')) config.previewUrl = `${config.previewUrl.slice(0, -2)}:${port}`;
  // Lets `npm run rebuild` know a server is running here, and where.
  const pidFile = join(config.dataDir, 'server.json');
  writeFileSync(pidFile, JSON.stringify({ pid: process.pid, url }));

  if (builder && options.initialBuild !== false && queue.list(1).length === 0) {
    const first = queue.enqueue({ kind: 'manual', full: true, requestedBy: 'first start' });
    log(`First start: building the site from ${sources.length} source(s) (build ${first.id}).`);
  }
  // Builds queued by other processes (`npm run rebuild`) are picked up within a second.
  const poll = setInterval(wake, 1000);
  wake();
  // Pushes GitHub never delivered (the server was down): found by comparing branch heads, now and every RECONCILE_EVERY.
  const reconcile =
    builder && config.reconcileEveryMs > 0 && sources.some((s) => s.repo)
      ? scheduleReconcile(
          config.reconcileEveryMs,
          () =>
            reconcileSources({
              sources,
              dataDir: config.dataDir,
              queue: {
                enqueue: (t) => {
                  const b = intake.enqueue(t);
                  wake();
                  return b;
                },
                list: (n) => queue.list(n),
              },
              octokit: createGitHubClient({
                baseUrl: config.githubApiUrl,
                ...(config.githubToken ? { token: config.githubToken } : {}),
                ...(options.fetch ? { fetch: options.fetch } : {}),
                warn: log,
              }),
              staleAfterMs: config.staleAfterMs,
              publicUrl: config.publicUrl,
              log,
              notice: (summary) => notifier.notice!(summary),
            }),
          log,
        )
      : undefined;
  // PR previews not rebuilt within PREVIEW_RETENTION go: now, then on the reconcile schedule (hourly when that is off).
  const expiry =
    builder && config.previewRetentionMs > 0
      ? scheduleReconcile(
          config.reconcileEveryMs || 3_600_000,
          async () => {
            const removed = await expirePreviews(config.dataDir, config.previewRetentionMs).catch((err: Error) => {
              log(`Removing expired previews failed: ${err.message}`);
              return [];
            });
            if (removed.length) log(`Removed ${removed.length} expired preview(s) (PREVIEW_RETENTION): ${removed.join(', ')}`);
          },
          log,
        )
      : undefined;

  return {
    config,
    sources,
    queue,
    worker,
    notifier,
    statuses,
    server,
    url,
    ...(reconcile ? { reconcile } : {}),
    async close() {
      clearInterval(poll);
      await reconcile?.stop();
      await expiry?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await worker.stop();
      await statuses.close();
      queue.db.close();
      rmSync(pidFile, { force: true });
    },
  };
}
