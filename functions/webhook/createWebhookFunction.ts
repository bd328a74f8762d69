import { type Config, loadConfig, settingsEnv } from '../core/config/loadConfig.ts';
import { loadSources } from '../core/config/loadSources.ts';
import { createApp } from '../core/http/createApp.ts';
import { jsonError } from '../core/http/json.ts';
import { privateRepos } from '../core/http/privateRepos.ts';
import { describeStatusAccess } from '../core/http/statusAccess.ts';
import { createStatusGuard } from '../core/http/statusGuard.ts';
import { redact } from '../core/notify/redact.ts';
import { freshnessStatus } from '../core/reconcile/freshnessStatus.ts';
import { secretsOf } from '../core/notify/secretsOf.ts';
import { ossRollbackRoutes } from '../core/deploy/oss/rollbackOss.ts';
import { createRebuildHandler } from '../core/rebuild/createRebuildHandler.ts';
import { createRebuildLinkHandler } from '../core/rebuild/createRebuildLinkHandler.ts';
import type { SourceConfig } from '../core/types.ts';
import { createWebhookHandler } from '../core/webhook/createWebhookHandler.ts';
import { PREVIEWS_NEED_LOCAL } from '../core/webhook/decidePullRequest.ts';
import { createFcDeliveryQueue } from '../fc/createFcDeliveryQueue.ts';
import { createFcInvoker } from '../fc/createFcInvoker.ts';
import type { FileBuildStore } from '../fc/createFileBuildStore.ts';
import { buildStoreFor } from '../fc/buildStoreFor.ts';
import { freshnessStoreFor } from '../fc/createOssFreshnessStore.ts';
import { fcApiEndpoint } from '../fc/fcApiEndpoint.ts';
import { createRequestCredentials } from '../fc/createRequestCredentials.ts';
import type { AcsCredentials } from '../fc/signAcs3.ts';
import { siteElsewhere } from './siteElsewhere.ts';

/** The status endpoints, whose protection depends on which repositories are private. */
const STATUS_PATH = /^\/(?:_builds|builds|deliveries|releases|status)(?:\/|$)/;

export interface WebhookFunctionOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder that relative settings (SOURCES_FILE, DATA_DIR) are resolved against: the code folder. */
  cwd?: string;
  fetch?: typeof globalThis.fetch;
  /** Receives log lines; secrets are redacted before they get here. */
  log?: (line: string) => void;
  /** Where build records are kept and read from (GET /builds, /_builds/, /deliveries). Default: files under DATA_DIR. */
  store?: Pick<FileBuildStore, 'dir' | 'create' | 'get' | 'list' | 'listDeliveries'>;
}

export interface WebhookFunction {
  handler: (request: Request) => Promise<Response>;
  config: Config;
  sources: SourceConfig[];
  builderFunctionName: string;
}

/**
 * The HTTP-triggered function: the same app as the local server (webhook, rebuild, builds), but a
 * build is queued by an async invocation of the builder function; a push is answered 202 only after
 * Function Compute accepted the task. It does not serve the site (that is on OSS): a page request is
 * sent to PUBLIC_URL. Bundled alone (scripts/package-fc.ts): nothing here may pull in Astro or the
 * build pipeline. Throws ConfigError / Error on bad settings.
 */
export function createWebhookFunction(options: WebhookFunctionOptions = {}): WebhookFunction {
  const env = options.env ?? process.env;
  const config = loadConfig({ env, ...(options.cwd ? { cwd: options.cwd } : {}) });
  const sources = loadSources(config.sourcesFile, settingsEnv({ env, ...(options.cwd ? { cwd: options.cwd } : {}) }));
  // The role's STS secret and token as well: they must never reach a log line either.
  const secrets = [...secretsOf(config, sources), env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN].filter(
    (s): s is string => !!s?.trim(),
  );
  const rawLog = options.log ?? ((line: string) => console.log(line));
  const log = (line: string) => rawLog(redact(line, secrets));
  const builderFunctionName = env.BUILDER_FUNCTION_NAME?.trim() || 'docs-sync-builder';

  // Credentials: FC's fresh per-request headers when present, else the environment.
  const requestCredentials = createRequestCredentials(env);
  const credentials = (): AcsCredentials => {
    const found = requestCredentials.current();
    if (!found) throw new Error('no credentials to call Function Compute with: give the function a role (s.yaml "role") so FC provides them');
    return found;
  };
  const store = options.store ?? buildStoreFor(config, credentials);
  // What the builder's reconcile sweeps recorded (in the bucket with DEPLOY_TARGET=oss: this function's /tmp is its own).
  const freshness = freshnessStoreFor(config, credentials);
  // Made on first use: without an endpoint the site and GET /builds still work; only queuing fails.
  let invoker: ReturnType<typeof createFcInvoker> | undefined;
  const invoke: ReturnType<typeof createFcInvoker> = (job, taskId, invokeOptions) => {
    invoker ??= createFcInvoker({
      endpoint: fcApiEndpoint(env),
      functionName: builderFunctionName,
      credentials,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return invoker(job, taskId, invokeOptions);
  };
  const queue = createFcDeliveryQueue({
    invoke,
    log,
    record: async (build) => {
      try {
        await store.create(build);
      } catch (err) {
        // The build is queued in FC either way; only GET /builds misses it until the builder starts.
        log(`[${build.id}] could not record the queued build under ${store.dir}: ${(err as Error).message}`);
      }
    },
  });
  const onQueued = (id: string) => log(`[${id}] handed to ${builderFunctionName} (async invocation accepted)`);

  // Which tracked repositories are private, from the build records (an object store: read at most every 30 s,
  // and always before a status page is served, so a private repository's status is never shown unprotected).
  let privateKnown: string[] = [];
  let checkedAt = Number.NEGATIVE_INFINITY;
  const refreshPrivate = async (): Promise<void> => {
    privateKnown = privateRepos(await store.list(200), sources);
    checkedAt = Date.now();
  };
  const status = createStatusGuard(config, () => privateKnown);
  log(describeStatusAccess(status.access()));
  const app = createApp({
    status,
    webhook: createWebhookHandler({ secret: config.webhookSecret, sources, queue, onQueued, previewsUnavailable: PREVIEWS_NEED_LOCAL }),
    rebuild: createRebuildHandler({ token: config.rebuildToken, sources, queue, onQueued }),
    rebuildLink: createRebuildLinkHandler({ token: config.rebuildToken, sources, queue, onQueued }),
    queue: store,
    // PUBLIC_URL as given: loadConfig's default (localhost) means nothing to a reader here.
    site: siteElsewhere(env.PUBLIC_URL?.trim() || undefined),
    // With the site on OSS the HTTP function can list releases and roll back (no NAS needed).
    ...(config.deploy.kind === 'oss' ? ossRollbackRoutes(config.deploy, config.rebuildToken, credentials, log) : {}),
    freshness: async () =>
      freshnessStatus({
        sources,
        dataDir: config.dataDir,
        freshness,
        builds: await store.list(200),
        reconcileEveryMs: config.reconcileEveryMs,
        staleAfterMs: config.staleAfterMs,
      }),
    publicUrl: config.publicUrl,
    log,
  });
  const handler = (request: Request) =>
    requestCredentials.run(request, async () => {
      if (STATUS_PATH.test(new URL(request.url).pathname) && Date.now() - checkedAt > 30_000) {
        try {
          await refreshPrivate();
        } catch (err) {
          log(`could not read the build records under ${store.dir}: ${(err as Error).message}`);
          if (checkedAt === Number.NEGATIVE_INFINITY) return jsonError(503, 'build records unavailable', 'see the function log');
        }
      }
      return app(request);
    });
  return { handler, config, sources, builderFunctionName };
}
