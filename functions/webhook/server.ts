/**
 * Entry point of the HTTP function on Function Compute (custom runtime, see s.yaml): serves the
 * webhook, rebuild, builds API and the site on the port FC forwards requests to.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/config/ConfigError.ts';
import { serveFunction } from '../fc/serveFunction.ts';
import { createWebhookFunction } from './createWebhookFunction.ts';

const codeDir = fileURLToPath(new URL('../../', import.meta.url));
const port = Number(process.env.FC_SERVER_PORT ?? process.env.PORT ?? 9000);

try {
  const fn = createWebhookFunction({ cwd: codeDir });
  const served = await serveFunction(fn.handler, { port });
  console.log(`docs-sync HTTP function listening on ${new URL(served.url).port} (Node ${process.version}); builds go to ${fn.builderFunctionName}; sources: ${fn.sources.map((s) => s.id).join(', ')}`);
  process.on('SIGTERM', () => {
    served.close().then(() => process.exit(0), () => process.exit(1));
  });
} catch (err) {
  console.error(`docs-sync HTTP function cannot start: ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}`);
  process.exit(2);
}
