/**
 * `npm run rebuild -- [--source id ...] [--full]`: queue a manual rebuild in the durable queue under
 * DATA_DIR. When the server is running it picks the build up; otherwise this command runs it
 * here and exits 0 on success, 1 on failure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../functions/core/config/ConfigError.ts';
import { loadConfig, settingsEnv } from '../functions/core/config/loadConfig.ts';
import { loadSources } from '../functions/core/config/loadSources.ts';
import { BuildQueue } from '../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../functions/core/queue/openDatabase.ts';
import { type BuildRecord, FINAL_STATES } from '../functions/core/types.ts';
import { unknownSources } from '../functions/core/rebuild/createRebuildHandler.ts';
import { runQueuedBuilds } from '../functions/local/runQueuedBuilds.ts';

/** The URL of the server running on this DATA_DIR, if one is. */
function runningServer(dataDir: string): string | undefined {
  try {
    const { pid, url } = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8')) as { pid: number; url: string };
    process.kill(pid, 0);
    return pid !== process.pid ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Follow a build the server runs, printing each phase, until it is final. */
async function follow(queue: BuildQueue, id: string): Promise<BuildRecord> {
  let shown = '';
  for (;;) {
    const build = queue.get(id)!;
    const now = `${build.state} ${Object.keys(build.phases).join(',')}`;
    if (now !== shown) {
      shown = now;
      const phases = Object.entries(build.phases)
        .map(([p, ms]) => `${p} ${ms} ms`)
        .join(', ');
      console.log(`  ${build.state}${phases ? ` — ${phases}` : ''}`);
    }
    if (FINAL_STATES.has(build.state)) return build;
    await new Promise((r) => setTimeout(r, 500));
  }
}

try {
  const { values } = parseArgs({
    options: {
      source: { type: 'string', multiple: true },
      full: { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(
      'usage: npm run rebuild -- [--source <id> ...] [--full] [--no-wait]\n  --source   rebuild only these sources (repeatable); default: all\n  --full     ignore every cache\n  --no-wait  with a server running: queue it and return at once',
    );
    process.exit(0);
  }
  const config = loadConfig();
  const sources = loadSources(config.sourcesFile, settingsEnv());
  const requested = values.source ?? [];
  const problem = unknownSources(requested, sources);
  if (problem) {
    console.error(`rebuild: ${problem}`);
    process.exit(2);
  }
  const queue = new BuildQueue(openDatabase(join(config.dataDir, 'queue.db')));
  const build = queue.enqueue({ kind: 'manual', full: values.full ?? false, requestedBy: 'cli', ...(requested.length ? { sources: requested } : {}) });
  console.log(`Queued build ${build.id}${requested.length ? ` for ${requested.join(', ')}` : ''}${values.full ? ' (full, no cache)' : ''}.`);
  const server = runningServer(config.dataDir);
  if (server) {
    console.log(`The server running at ${server} builds it: ${server}/builds/${build.id}`);
    if (values['no-wait']) process.exit(0);
    const final = await follow(queue, build.id);
    queue.db.close();
    console.log(`Build ${final.id} ${final.state}${final.error ? ` in ${final.error.phase}: ${final.error.message}` : ''}.`);
    process.exit(final.state === 'succeeded' || final.state === 'degraded' ? 0 : 1);
  } else {
    queue.db.close();
    console.log('No server is running: building here.');
    const final = await runQueuedBuilds({ config, sources, only: build.id });
    console.log(`Build ${final.id} ${final.state}${final.error ? ` in ${final.error.phase}: ${final.error.message}` : ''}.`);
    process.exit(final.state === 'succeeded' || final.state === 'degraded' ? 0 : 1);
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`rebuild: ${err.message}`);
    process.exit(2);
  }
  console.error(`rebuild: ${(err as Error).message}`);
  process.exit(1);
}
