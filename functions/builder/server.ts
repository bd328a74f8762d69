/**
 * Entry point of the builder function on Function Compute (custom runtime event function, see
 * s.yaml): FC delivers every async invocation as POST /invoke on this port.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/config/ConfigError.ts';
import { serveFunction } from '../fc/serveFunction.ts';
import { createBuilderFunction } from './createBuilderFunction.ts';

const codeDir = fileURLToPath(new URL('../../', import.meta.url));
const port = Number(process.env.FC_SERVER_PORT ?? process.env.PORT ?? 9000);

try {
  const fn = createBuilderFunction({ cwd: codeDir });
  const served = await serveFunction(fn.handler, { port });
  console.log(`docs-sync builder function listening on ${new URL(served.url).port} (Node ${process.version}); data: ${fn.config.dataDir}; sources: ${fn.sources.map((s) => s.id).join(', ')}`);
  process.on('SIGTERM', () => {
    served.close().then(() => process.exit(0), () => process.exit(1));
  });
} catch (err) {
  console.error(`docs-sync builder function cannot start: ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}`);
  process.exit(2);
}
