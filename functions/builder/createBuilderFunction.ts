import { randomUUID } from 'node:crypto';
import { type Config, loadConfig, settingsEnv } from '../core/config/loadConfig.ts';
import { loadSources } from '../core/config/loadSources.ts';
import { json, jsonError } from '../core/http/json.ts';
import { createBuildNotifier } from '../core/notify/createBuildNotifier.ts';
import { redact } from '../core/notify/redact.ts';
import { secretsOf } from '../core/notify/secretsOf.ts';
import { createBuildSteps } from '../core/pipeline/createBuildSteps.ts';
import type { BuildSteps } from '../core/pipeline/runBuild.ts';
import { COALESCE_RULES, type CoalesceRules } from '../core/queue/coalesce.ts';
import type { SourceConfig } from '../core/types.ts';
import { BodyTooLargeError, readBody } from '../core/webhook/readBody.ts';
import type { CloudCredentials } from '../core/config/cloudCredentials.ts';
import { buildStoreFor } from '../fc/buildStoreFor.ts';
import { createSelfInvoker } from '../fc/createSelfInvoker.ts';
import { fitBuildJob } from '../fc/fitBuildJob.ts';
import { parseDestinationEvent } from '../fc/parseDestinationEvent.ts';
import { freshnessStoreFor } from '../fc/createOssFreshnessStore.ts';
import { createRequestCredentials } from '../fc/createRequestCredentials.ts';
import type { AcsCredentials } from '../fc/signAcs3.ts';
import { failBuildFromDestination } from './failBuildFromDestination.ts';
import { parseBuildJob } from './parseBuildJob.ts';
import { parseTimerEvent, reconcileOnTimer } from './reconcileOnTimer.ts';
import { type BuilderContext, runBuildJob } from './runBuildJob.ts';

export interface BuilderFunctionOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder that relative settings (SOURCES_FILE, DATA_DIR) are resolved against: the code folder. */
  cwd?: string;
  fetch?: typeof globalThis.fetch;
  /** Replace pipeline steps (tests). */
  steps?: Partial<BuildSteps>;
  /** Receives log lines; secrets are redacted before they get here. */
  log?: (line: string) => void;
  now?: () => number;
  /** How long the build lease lives without renewal (default BUILD_LEASE_TTL_MS, else 60 s; renewed every third of it). */
  leaseTtlMs?: number;
  /** Coalescing rules (default: the local queue's, 2 s quiet, 10 s at most). */
  rules?: CoalesceRules;
}

export interface BuilderFunction {
  handler: (request: Request) => Promise<Response>;
  config: Config;
  sources: SourceConfig[];
  /** The role's credentials for the invocation being handled (FC's x-fc-* headers), for OSS and other Alibaba Cloud calls. */
  credentials: () => AcsCredentials | undefined;
}

/** The async task that starts a waiting build right after the one before it ended. */
const taskIdForNext = (buildId: string) => `next-${buildId}`;

/** A crashed builder's lease is taken over this long after its last renewal. */
const LEASE_TTL_MS = 60_000;

/** Default per-attempt limit: under s.yaml's 1800 s function timeout, so a timeout is still reported. */
const DEFAULT_TIMEOUT_SECONDS = 1740;

/** FC's answer for a failed event invocation: status 404 plus `x-fc-status: 404` (custom runtime contract). */
function failed(body: Record<string, unknown>): Response {
  return json(404, body, { 'x-fc-status': '404' });
}

/**
 * The builder function, invoked asynchronously by FC (custom runtime event function: every
 * invocation arrives as `POST /invoke` with the payload as body). Three kinds of payload: a BuildJob
 * (run one attempt; answer an error so FC retries), FC's onFailure destination event (mark the
 * build failed and notify) and FC's timer event (a reconcile sweep, see reconcileOnTimer). Builds run
 * one at a time, within an instance and across instances, under the build lease in the build store
 * (runBuildJob); destination events one at a time here.
 */
export function createBuilderFunction(options: BuilderFunctionOptions = {}): BuilderFunction {
  const env = options.env ?? process.env;
  const config = loadConfig({ env, ...(options.cwd ? { cwd: options.cwd } : {}) });
  const sources = loadSources(config.sourcesFile, settingsEnv({ env, ...(options.cwd ? { cwd: options.cwd } : {}) }));
  // The role's STS secret and token as well: they must never reach a log line either.
  const secrets = [...secretsOf(config, sources), env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN].filter(
    (s): s is string => !!s?.trim(),
  );
  const requestCredentials = createRequestCredentials(env);
  const rawLog = options.log ?? ((line: string) => console.log(line));
  const log = (line: string) => rawLog(redact(line, secrets));
  const deps = options.fetch ? { fetch: options.fetch } : {};
  const notifier = createBuildNotifier({ config, sources, secrets, log, ...deps });
  const timeoutSeconds = Number(env.BUILD_TIMEOUT_SECONDS?.trim() || DEFAULT_TIMEOUT_SECONDS);
  if (!(timeoutSeconds > 0)) throw new Error(`BUILD_TIMEOUT_SECONDS must be a number of seconds, e.g. ${DEFAULT_TIMEOUT_SECONDS}`);
  // BUILD_LEASE_TTL_MS: how soon a crashed builder's lease is taken over (tests shorten it; keep the default on FC).
  const leaseTtlMs = options.leaseTtlMs ?? Number(env.BUILD_LEASE_TTL_MS?.trim() || LEASE_TTL_MS);
  if (!(leaseTtlMs > 0)) throw new Error(`BUILD_LEASE_TTL_MS must be a number of milliseconds, e.g. ${LEASE_TTL_MS}`);

  // OSS (DEPLOY_TARGET=oss): FC's fresh per-request credentials of the role, else the environment.
  const ossCredentials = (): CloudCredentials => {
    const found = requestCredentials.current();
    if (!found) throw new Error('no credentials for OSS: give the builder function a role (s.yaml "role") so FC provides them');
    return found;
  };
  const freshness = freshnessStoreFor(config, ossCredentials);
  const self = createSelfInvoker(env, requestCredentials.current, options.fetch);
  const ctx: BuilderContext = {
    dataDir: config.dataDir,
    sources,
    steps: { ...createBuildSteps(config, { ...deps, log, ossCredentials }), ...options.steps },
    store: buildStoreFor(config, ossCredentials),
    log,
    redact: (text) => redact(text, secrets),
    attemptTimeoutMs: timeoutSeconds * 1000,
    now: options.now ?? Date.now,
    // One build at a time: FC's concurrency settings (s.yaml) and, across instances, this lease.
    lease: { holder: `builder-${randomUUID()}`, ttlMs: leaseTtlMs },
    rules: options.rules ?? COALESCE_RULES,
    invokeNext: async (build) => {
      await self.invoke(fitBuildJob(build), taskIdForNext(build.id));
    },
    notify: async (build) => {
      await notifier.notify(build);
    },
  };

  let chain: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch(() => {});
    return next;
  };

  const invoke = async (request: Request): Promise<Response> => {
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await readBody(request, 1024 * 1024)));
    } catch (err) {
      // Not retryable: the same bytes would fail again. Acknowledge and leave a trace in the log.
      const why = err instanceof BodyTooLargeError ? err.message : `not JSON: ${(err as Error).message}`;
      log(`invocation payload ignored (${why})`);
      return json(200, { ignored: why });
    }
    // FC's timer trigger: sweep the branch heads for pushes never delivered (reconcileOnTimer).
    const timer = parseTimerEvent(payload);
    if (timer) return json(200, await reconcileOnTimer(timer, request.headers, { config, sources, store: ctx.store, freshness, notifier, env, log, ...deps }));
    const destination = parseDestinationEvent(payload);
    if (destination) return json(200, await oneAtATime(() => failBuildFromDestination(destination, ctx)));
    const parsed = parseBuildJob(payload);
    if ('error' in parsed) {
      log(`invocation payload is not a build job (${parsed.error}); ignored`);
      return json(200, { ignored: parsed.error });
    }
    // Not chained: a job already final answers at once; the others wait for the build lease.
    const outcome = await runBuildJob(parsed.job, ctx);
    return outcome.failed ? failed(outcome.body) : json(200, outcome.body);
  };

  const handler = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path !== '/invoke') return jsonError(404, `no ${path} here: the builder only takes FC event invocations (POST /invoke)`);
    if (request.method !== 'POST') return jsonError(405, 'use POST', undefined, { allow: 'POST' });
    const requestId = request.headers.get('x-fc-request-id') ?? 'local';
    return requestCredentials.run(request, () => handle(request, requestId));
  };
  const handle = async (request: Request, requestId: string): Promise<Response> => {
    // The line format FC's log collection uses to group a custom runtime's output per request.
    rawLog(`FC Invoke Start RequestId: ${requestId}`);
    try {
      return await invoke(request);
    } catch (err) {
      log(`invocation ${requestId} failed: ${(err as Error).stack ?? String(err)}`);
      return failed({ error: 'internal error', hint: 'see the function log' });
    } finally {
      rawLog(`FC Invoke End RequestId: ${requestId}`);
    }
  };
  return { handler, config, sources, credentials: requestCredentials.current };
}
