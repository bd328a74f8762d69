/**
 * Entry point of the builder function on Function Compute (custom runtime event function, see
 * s.yaml): FC delivers every async invocation as POST /invoke on FC_CUSTOM_LISTEN_PORT.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/config/ConfigError.ts';
import { keepAliveTimeoutMs, listenPort, serveFunction } from '../fc/serveFunction.ts';
import { createBuilderFunction } from './createBuilderFunction.ts';

// FC sets FC_FUNC_CODE_PATH to the code folder (/code/); the package keeps the repository's layout.
const codeDir = process.env.FC_FUNC_CODE_PATH?.trim() || fileURLToPath(new URL('../../', import.meta.url));

try {
  const fn = createBuilderFunction({ cwd: codeDir });
  const served = await serveFunction(fn.handler, { port: listenPort(process.env), keepAliveMs: keepAliveTimeoutMs(process.env) });
  console.log(
    `docs-sync builder function listening on ${new URL(served.url).port} (Node ${process.version}); data: ${fn.config.dataDir}; sources: ${fn.sources.map((s) => s.id).join(', ')}`,
  );
  process.on('SIGTERM', () => {
    served.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
} catch (err) {
  console.error(`docs-sync builder function cannot start: ${err instanceof ConfigError ? err.message : ((err as Error).stack ?? String(err))}`);
  process.exit(2);
}
