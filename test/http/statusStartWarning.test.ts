/**
 * The start-up log says how the status pages are guarded, from what earlier builds learnt about the
 * repositories: a warning with the fix when a private repository's builds are public
 * (STATUS_TOKEN=public) or closed for want of a token; never the token itself.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import { startLocal } from '../../functions/local/startLocal.ts';

const dir = mkdtempSync(join(tmpdir(), 'status-start-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: secret\n    title: Secret\n    repo: acme/secret-docs\n');

/** A data folder whose queue remembers a push from a private repository. */
function dataDirWithPrivatePush(name: string): string {
  const data = join(dir, name);
  mkdirSync(data, { recursive: true });
  const queue = new BuildQueue(openDatabase(join(data, 'queue.db')));
  queue.enqueue({ kind: 'push', repo: 'acme/secret-docs', ref: 'refs/heads/main', sha: 'a'.repeat(40), pusher: 'alice', delivery: 'd-1', private: true });
  queue.db.close();
  return data;
}

async function startLines(env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const rt = await startLocal({
    env: { SOURCES_FILE: join(dir, 'sources.yaml'), PORT: '0', ...env },
    cwd: dir,
    builder: false,
    host: '127.0.0.1',
    log: (l) => lines.push(l),
  });
  await rt.close();
  return lines;
}

test('warns at start when a private repository is published with public status pages, and says how to fix it', async () => {
  const lines = await startLines({ DATA_DIR: dataDirWithPrivatePush('public'), STATUS_TOKEN: 'public' });
  assert.ok(
    lines.some((l) => /^Warning: private repository acme\/secret-docs is published while the status pages .* are public .*Set STATUS_TOKEN/.test(l)),
    lines.join('\n'),
  );
});

test('warns at start when the status pages are closed for want of a token', async () => {
  const lines = await startLines({ DATA_DIR: dataDirWithPrivatePush('closed') });
  assert.ok(
    lines.some((l) => /^Warning: the status pages are closed: acme\/secret-docs is private .*Set STATUS_TOKEN/.test(l)),
    lines.join('\n'),
  );
});

test('says the pages need a token, never printing it', async () => {
  const token = 'status-0123456789abcdef-secret';
  const lines = await startLines({ DATA_DIR: dataDirWithPrivatePush('token'), STATUS_TOKEN: token });
  assert.ok(
    lines.some((l) => l.startsWith('Status pages need a token (STATUS_TOKEN)')),
    lines.join('\n'),
  );
  assert.ok(!lines.join('\n').includes(token));
});
