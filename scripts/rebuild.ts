/**
 * `npm run rebuild -- [--source id ...] [--full]`: queue a manual rebuild in the durable queue under
 * DATA_DIR. When the server is running it picks the build up; otherwise this command runs it
 * here and exits 0 on success, 1 on failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../functions/core/config/ConfigError.ts';
import { loadConfig } from '../functions/core/config/loadConfig.ts';
import { loadSources } from '../functions/core/config/loadSources.ts';
import { BuildQueue } from '../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../functions/core/queue/openDatabase.ts';
import { unknownSources } from '../functions/core/rebuild/createRebuildHandler.ts';
import { runQueuedBuilds } from '../functions/local/runQueuedBuilds.ts';

function serverAlive(dataDir: string): boolean {
  try {
    const pid = Number(readFileSync(join(dataDir, 'server.pid'), 'utf8'));
    process.kill(pid, 0);
    return pid !== process.pid;
  } catch {
    return false;
  }
}

try {
  const { values } = parseArgs({ options: { source: { type: 'string', multiple: true }, full: { type: 'boolean', default: false }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('usage: npm run rebuild -- [--source <id> ...] [--full]\n  --source  rebuild only these sources (repeatable); default: all\n  --full    ignore every cache');
    process.exit(0);
  }
  const config = loadConfig();
  const sources = loadSources(config.sourcesFile);
  const requested = values.source ?? [];
  const problem = unknownSources(requested, sources);
  if (problem) {
    console.error(`rebuild: ${problem}`);
    process.exit(2);
  }
  const queue = new BuildQueue(openDatabase(join(config.dataDir, 'queue.db')));
  const build = queue.enqueue({ kind: 'manual', full: values.full ?? false, requestedBy: 'cli', ...(requested.length ? { sources: requested } : {}) });
  console.log(`Queued build ${build.id}${requested.length ? ` for ${requested.join(', ')}` : ''}${values.full ? ' (full, no cache)' : ''}.`);
  if (serverAlive(config.dataDir)) {
    queue.db.close();
    console.log(`The running server builds it; follow it at ${config.publicUrl}/builds/${build.id}`);
  } else {
    queue.db.close();
    console.log('No server is running: building here.');
    const final = await runQueuedBuilds({ config, sources, only: build.id });
    console.log(`Build ${final.id} ${final.state}${final.error ? ` in ${final.error.phase}: ${final.error.message}` : ''}.`);
    process.exit(final.state === 'succeeded' ? 0 : 1);
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`rebuild: ${err.message}`);
    process.exit(2);
  }
  console.error(`rebuild: ${(err as Error).message}`);
  process.exit(1);
}
