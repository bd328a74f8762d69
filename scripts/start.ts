/**
 * `npm start`: the whole product in one process — the site, the webhook, the rebuild endpoint, the
 * builds API and the builder, with the embedded durable queue under DATA_DIR.
 */
import { ConfigError } from '../functions/core/config/ConfigError.ts';
import { missingSettings } from '../functions/core/config/loadConfig.ts';
import { describeDuration } from '../functions/core/config/parseDuration.ts';
import { startLocal } from '../functions/local/startLocal.ts';

const time = () => new Date().toISOString().slice(11, 19);

try {
  const runtime = await startLocal({ log: (line) => console.log(`${time()} ${line}`) });
  const { url, config, sources } = runtime;
  const lines = [
    '',
    `docs-sync is running (Node ${process.version}).`,
    `  Site:            ${url}/`,
    `  GitHub webhook:  POST ${url}/webhook   (content type application/json, event "push")`,
    `  Manual rebuild:  POST ${url}/rebuild   (Authorization: Bearer $REBUILD_TOKEN), or: npm run rebuild`,
    `  Builds:          ${url}/_builds/   (JSON: ${url}/builds; freshness: ${url}/status)`,
    `  Reconcile:       ${config.reconcileEveryMs ? `branch heads checked at start and every ${describeDuration(config.reconcileEveryMs)} (RECONCILE_EVERY)` : 'off (RECONCILE_EVERY=0)'}`,
    `  Sources:         ${config.sourcesFile} (${sources.map((s) => s.id).join(', ')})`,
    `  Data:            ${config.dataDir}`,
  ];
  const missing = missingSettings(config, process.env);
  if (missing.length) lines.push('', 'Settings not configured (see README "Configuration"):', ...missing.map((m) => `  - ${m}`));
  console.log(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${time()} ${signal}: finishing the current build step and stopping (again to force)…`);
    runtime.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`docs-sync cannot start: ${err.message}`);
    process.exit(2);
  }
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`docs-sync cannot start: port ${process.env.PORT ?? 8080} is in use. Set PORT to a free port.`);
    process.exit(2);
  }
  throw err;
}
