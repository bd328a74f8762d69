/**
 * Entry point of the webhook function on Function Compute (custom runtime, see s.yaml): takes GitHub
 * deliveries, POST /rebuild and the build status pages on FC_CUSTOM_LISTEN_PORT. Bundled into one
 * file by `npm run package:fc` (dist/fc/webhook/index.mjs) and run by the Node of FC's Node.js 22 layer.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/config/ConfigError.ts';
import { keepAliveTimeoutMs, listenPort, serveFunction } from '../fc/serveFunction.ts';
import { createWebhookFunction } from './createWebhookFunction.ts';

// FC sets FC_FUNC_CODE_PATH to the code folder (/code/); unbundled, the repository root.
const codeDir = process.env.FC_FUNC_CODE_PATH?.trim() || fileURLToPath(new URL('../../', import.meta.url));

try {
  const fn = createWebhookFunction({ cwd: codeDir });
  const served = await serveFunction(fn.handler, { port: listenPort(process.env), keepAliveMs: keepAliveTimeoutMs(process.env) });
  console.log(
    `docs-sync webhook function listening on ${new URL(served.url).port} (Node ${process.version}); builds go to ${fn.builderFunctionName}; sources: ${fn.sources.map((s) => s.id).join(', ')}`,
  );
  process.on('SIGTERM', () => {
    served.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
} catch (err) {
  console.error(`docs-sync webhook function cannot start: ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}`);
  process.exit(2);
}
