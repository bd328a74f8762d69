/**
 * Both FC functions in this process over real HTTP: the HTTP function (webhook) signing its async
 * invocations to the FC API stand-in, whose accepted tasks a dispatcher runs against the builder
 * function's POST /invoke (delay, concurrency, retries, destination events). They share one data
 * folder, as they share the build store on FC. The site build is a copy of the generated content.
 */
import { join } from 'node:path';
import { createBuilderFunction } from '../../functions/builder/createBuilderFunction.ts';
import type { BuildSteps } from '../../functions/core/pipeline/runBuild.ts';
import { buildStoreDir, createFileBuildStore, type FileBuildStore } from '../../functions/fc/createFileBuildStore.ts';
import { serveFunction } from '../../functions/fc/serveFunction.ts';
import { createWebhookFunction } from '../../functions/webhook/createWebhookFunction.ts';
import { fastSteps } from './fastSteps.ts';
import { createFcAsyncDispatcher, type FcAsyncDispatcher } from './fcAsyncDispatcher.ts';
import { type FcApiStandIn, startFcApiStandIn } from './fcApiStandIn.ts';

export const STACK_SECRETS = { webhook: 'whsec-fc-stack-5c1e', rebuild: 'rebuild-fc-stack-77aa', sts: 'sts-secret-fc-stack-19d0' };

export interface FcStack {
  webhookUrl: string;
  builderUrl: string;
  fc: FcApiStandIn;
  dispatcher: FcAsyncDispatcher;
  dataDir: string;
  store: FileBuildStore;
  logs: string[];
  /** POST /rebuild (all sources) and wait until every invocation ended; the build's record. */
  rebuild(): Promise<any>;
  close(): Promise<void>;
}

export async function startFcStack(options: {
  dir: string;
  sourcesFile: string;
  githubUrl: string;
  dataDir?: string;
  concurrency?: number;
  retries?: number;
  steps?: Partial<BuildSteps>;
}): Promise<FcStack> {
  const dataDir = options.dataDir ?? join(options.dir, 'data');
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  let builderUrl = '';
  const dispatcher = createFcAsyncDispatcher({
    target: () => builderUrl,
    concurrency: options.concurrency ?? 1,
    retries: options.retries ?? 0,
    retryDelayMs: 50,
  });
  const fc = await startFcApiStandIn({
    credentials: { 'STS.stack-key': { secret: STACK_SECRETS.sts, securityToken: 'stack-token' } },
    functions: ['docs-sync-builder'],
    onTask: (t) => dispatcher.dispatch(t),
  });
  const env = {
    GITHUB_WEBHOOK_SECRET: STACK_SECRETS.webhook,
    REBUILD_TOKEN: STACK_SECRETS.rebuild,
    SOURCES_FILE: options.sourcesFile,
    DATA_DIR: dataDir,
    GITHUB_API_URL: options.githubUrl,
    FUNCTION_COMPUTE_ENDPOINT: fc.url,
    BUILDER_FUNCTION_NAME: 'docs-sync-builder',
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.stack-key',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: STACK_SECRETS.sts,
    ALIBABA_CLOUD_SECURITY_TOKEN: 'stack-token',
  };
  const webhook = await serveFunction(createWebhookFunction({ env, cwd: options.dir, log }).handler, { port: 0, host: '127.0.0.1', log });
  const steps = { buildSite: fastSteps(async () => ({ fetched: [], failures: [] })).buildSite, ...options.steps };
  const builder = await serveFunction(createBuilderFunction({ env, cwd: options.dir, log, steps }).handler, { port: 0, host: '127.0.0.1', log });
  builderUrl = builder.url;
  const store = createFileBuildStore(buildStoreDir(dataDir));
  return {
    webhookUrl: webhook.url,
    builderUrl,
    fc,
    dispatcher,
    dataDir,
    store,
    logs,
    async rebuild() {
      const res = await fetch(`${webhook.url}/rebuild`, {
        method: 'POST',
        headers: { authorization: `Bearer ${STACK_SECRETS.rebuild}`, 'content-type': 'application/json' },
        body: '{}',
      });
      if (res.status !== 202) throw new Error(`rebuild answered ${res.status}: ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      await dispatcher.idle();
      return store.get(id);
    },
    async close() {
      await dispatcher.idle();
      await webhook.close();
      await builder.close();
      await fc.close();
    },
  };
}
