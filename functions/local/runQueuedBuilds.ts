import { join } from 'node:path';
import type { Config } from '../core/config/loadConfig.ts';
import { redact } from '../core/notify/redact.ts';
import { secretsOf } from '../core/notify/secretsOf.ts';
import { BuildQueue } from '../core/queue/BuildQueue.ts';
import { openDatabase } from '../core/queue/openDatabase.ts';
import type { BuildRecord, SourceConfig } from '../core/types.ts';
import { createBuilder } from './createBuilder.ts';

/**
 * Run the builder in this process until build `only` reaches its final state (the CLI, when no
 * server is running). Progress goes to the console.
 */
export async function runQueuedBuilds({
  config,
  sources,
  only,
  log = console.log,
}: {
  config: Config;
  sources: SourceConfig[];
  only: string;
  log?: (line: string) => void;
}): Promise<BuildRecord> {
  const secrets = secretsOf(config, sources);
  const queue = new BuildQueue(openDatabase(join(config.dataDir, 'queue.db')));
  queue.recoverInterrupted();
  let resolveFinal!: (b: BuildRecord) => void;
  const final = new Promise<BuildRecord>((r) => (resolveFinal = r));
  const worker = createBuilder({
    config,
    sources,
    queue,
    secrets,
    log: (line) => log(redact(line, secrets)),
    onFinal: (b) => b.id === only && resolveFinal(b),
  });
  worker.wake();
  const build = await final;
  await worker.stop();
  queue.db.close();
  return build;
}
