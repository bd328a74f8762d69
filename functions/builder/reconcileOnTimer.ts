/**
 * Reconcile on Function Compute: FC's timer trigger invokes the builder (POST /invoke with the
 * timer event `{"triggerTime","triggerName","payload"}`), which runs the same sweep as the local
 * schedule (reconcileSources) and, when sources moved, hands ONE `reconcile` build to itself as an
 * async task, like the HTTP function hands it pushes (FC's retries and onFailure destination apply).
 */
import type { Config } from '../core/config/loadConfig.ts';
import { createGitHubClient } from '../core/fetch/createGitHubClient.ts';
import type { BuildNotifier } from '../core/notify/createBuildNotifier.ts';
import type { FreshnessStore } from '../core/reconcile/freshnessFile.ts';
import { reconcileSources } from '../core/reconcile/reconcileSources.ts';
import type { SourceConfig } from '../core/types.ts';
import { createFcDeliveryQueue } from '../fc/createFcDeliveryQueue.ts';
import { createFcInvoker } from '../fc/createFcInvoker.ts';
import type { FileBuildStore } from '../fc/createFileBuildStore.ts';
import { fcApiEndpoint } from '../fc/fcApiEndpoint.ts';
import { credentialsFromEnv, credentialsFromHeaders } from '../fc/fcCredentials.ts';

export interface TimerEvent {
  triggerTime: string;
  triggerName: string;
  payload?: string;
}

/** FC's timer trigger event, or undefined for any other payload. */
export function parseTimerEvent(payload: unknown): TimerEvent | undefined {
  const p = payload as Partial<Record<keyof TimerEvent, unknown>> | null;
  if (typeof p !== 'object' || p === null || typeof p.triggerTime !== 'string' || typeof p.triggerName !== 'string') return undefined;
  return { triggerTime: p.triggerTime, triggerName: p.triggerName, ...(typeof p.payload === 'string' ? { payload: p.payload } : {}) };
}

export interface TimerContext {
  config: Config;
  sources: SourceConfig[];
  store: FileBuildStore;
  /** Where the sweep's freshness record goes (the bucket with DEPLOY_TARGET=oss, so the HTTP function reads it). */
  freshness?: FreshnessStore;
  notifier: BuildNotifier;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  fetch?: typeof globalThis.fetch;
}

export async function reconcileOnTimer(event: TimerEvent, headers: Headers, ctx: TimerContext): Promise<Record<string, unknown>> {
  const { config, env, log } = ctx;
  if (config.reconcileEveryMs === 0) return { reconcile: 'off (RECONCILE_EVERY=0)' };
  // Its own name (FC sets FC_FUNCTION_NAME), so the build runs as an async task of this function.
  const self = env.FC_FUNCTION_NAME?.trim() || env.BUILDER_FUNCTION_NAME?.trim() || 'docs-sync-builder';
  const credentials = credentialsFromHeaders(headers) ?? credentialsFromEnv(env);
  const invoke = createFcInvoker({
    endpoint: fcApiEndpoint(env),
    functionName: self,
    credentials: () => {
      if (!credentials) throw new Error('no credentials to call Function Compute with: give the function a role (s.yaml "role") so FC provides them');
      return credentials;
    },
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
  });
  const queue = createFcDeliveryQueue({
    invoke,
    record: async (build) => {
      await ctx.store.create(build);
    },
  });
  const octokit = createGitHubClient({
    baseUrl: config.githubApiUrl,
    ...(config.githubToken ? { token: config.githubToken } : {}),
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    warn: log,
  });
  log(`Timer ${event.triggerName} (${event.triggerTime}): reconcile sweep`);
  const result = await reconcileSources({
    sources: ctx.sources,
    dataDir: config.dataDir,
    ...(ctx.freshness ? { freshness: ctx.freshness } : {}),
    octokit,
    queue: { enqueue: (t) => queue.enqueue(t), list: (n) => ctx.store.list(n) },
    staleAfterMs: config.staleAfterMs,
    publicUrl: config.publicUrl,
    log,
    notice: (s) => ctx.notifier.notice!(s),
  });
  return {
    checked: result.sweep.checked.length,
    requests: result.sweep.requests,
    moved: result.sweep.checked.filter((c) => c.moved).map((c) => c.id),
    ...(result.build ? { build: result.build.id } : {}),
  };
}
