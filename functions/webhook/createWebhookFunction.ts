import { AsyncLocalStorage } from 'node:async_hooks';
import { type Config, loadConfig } from '../core/config/loadConfig.ts';
import { loadSources } from '../core/config/loadSources.ts';
import { createApp } from '../core/http/createApp.ts';
import { redact } from '../core/notify/redact.ts';
import { secretsOf } from '../core/notify/secretsOf.ts';
import { createRebuildHandler } from '../core/rebuild/createRebuildHandler.ts';
import { createRebuildLinkHandler } from '../core/rebuild/createRebuildLinkHandler.ts';
import type { SourceConfig } from '../core/types.ts';
import { createWebhookHandler } from '../core/webhook/createWebhookHandler.ts';
import { createFcDeliveryQueue } from '../fc/createFcDeliveryQueue.ts';
import { createFcInvoker } from '../fc/createFcInvoker.ts';
import { buildStoreDir, createFileBuildStore } from '../fc/createFileBuildStore.ts';
import { fcApiEndpoint } from '../fc/fcApiEndpoint.ts';
import { credentialsFromEnv, credentialsFromHeaders } from '../fc/fcCredentials.ts';
import type { AcsCredentials } from '../fc/signAcs3.ts';
import { createSiteHandler } from '../local/createSiteHandler.ts';

export interface WebhookFunctionOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder that relative settings (SOURCES_FILE, DATA_DIR) are resolved against: the code folder. */
  cwd?: string;
  fetch?: typeof globalThis.fetch;
  /** Receives log lines; secrets are redacted before they get here. */
  log?: (line: string) => void;
}

export interface WebhookFunction {
  handler: (request: Request) => Promise<Response>;
  config: Config;
  sources: SourceConfig[];
  builderFunctionName: string;
}

/**
 * The HTTP-triggered function: the same app as the local server (webhook, rebuild, builds, site),
 * but a build is queued by an async invocation of the builder function; a push is answered 202
 * only after Function Compute accepted the task. Throws ConfigError / Error on bad settings.
 */
export function createWebhookFunction(options: WebhookFunctionOptions = {}): WebhookFunction {
  const env = options.env ?? process.env;
  const config = loadConfig({ env, ...(options.cwd ? { cwd: options.cwd } : {}) });
  const sources = loadSources(config.sourcesFile);
  // The role's STS secret and token as well: they must never reach a log line either.
  const secrets = [...secretsOf(config), env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN].filter((s): s is string => !!s?.trim());
  const rawLog = options.log ?? ((line: string) => console.log(line));
  const log = (line: string) => rawLog(redact(line, secrets));
  const builderFunctionName = env.BUILDER_FUNCTION_NAME?.trim() || 'docs-sync-builder';
  const store = createFileBuildStore(buildStoreDir(config.dataDir));

  // Credentials: FC's fresh per-request headers when present, else the environment.
  const requestCredentials = new AsyncLocalStorage<AcsCredentials | undefined>();
  const credentials = (): AcsCredentials => {
    const found = requestCredentials.getStore() ?? credentialsFromEnv(env);
    if (!found) throw new Error('no credentials to call Function Compute with: give the function a role (s.yaml "role") so FC provides them');
    return found;
  };
  // Made on first use: without an endpoint the site and GET /builds still work; only queuing fails.
  let invoker: ReturnType<typeof createFcInvoker> | undefined;
  const invoke: ReturnType<typeof createFcInvoker> = (job, taskId, invokeOptions) => {
    invoker ??= createFcInvoker({ endpoint: fcApiEndpoint(env), functionName: builderFunctionName, credentials, ...(options.fetch ? { fetch: options.fetch } : {}) });
    return invoker(job, taskId, invokeOptions);
  };
  const queue = createFcDeliveryQueue({
    invoke,
    log,
    record: (build) => {
      try {
        store.create(build);
      } catch (err) {
        // The build is queued in FC either way; only GET /builds misses it until the builder starts.
        log(`[${build.id}] could not record the queued build under ${store.dir}: ${(err as Error).message}`);
      }
    },
  });
  const onQueued = (id: string) => log(`[${id}] handed to ${builderFunctionName} (async invocation accepted)`);

  const app = createApp({
    webhook: createWebhookHandler({ secret: config.webhookSecret, sources, queue, onQueued }),
    rebuild: createRebuildHandler({ token: config.rebuildToken, sources, queue, onQueued }),
    rebuildLink: createRebuildLinkHandler({ token: config.rebuildToken, sources, queue, onQueued }),
    queue: store,
    site: createSiteHandler(config.dataDir),
    publicUrl: config.publicUrl,
    log,
  });
  const handler = (request: Request) => requestCredentials.run(credentialsFromHeaders(request.headers), () => app(request));
  return { handler, config, sources, builderFunctionName };
}
