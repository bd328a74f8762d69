import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';

export const manual = { kind: 'manual' as const, full: false };

/** A temporary directory removed after the file's tests, and `fresh` queues, each in a new database there. */
export function useQueueDir(): { dir: string; fresh: (options?: ConstructorParameters<typeof BuildQueue>[1]) => BuildQueue } {
  const dir = mkdtempSync(join(tmpdir(), 'queue-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const fresh = (options: ConstructorParameters<typeof BuildQueue>[1] = {}) => new BuildQueue(openDatabase(join(dir, `q${n++}.db`)), options);
  return { dir, fresh };
}
