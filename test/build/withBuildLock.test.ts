import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withBuildLock } from '../../functions/core/build/withBuildLock.ts';

describe('withBuildLock', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-lock-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('runs one holder at a time and releases the lock, even when the work fails', async () => {
    const events: string[] = [];
    let release!: () => void;
    const first = withBuildLock(dir, async () => {
      events.push('first starts');
      await new Promise<void>((done) => (release = done));
      events.push('first ends');
    });
    await new Promise((done) => setTimeout(done, 50));
    const second = withBuildLock(dir, async () => {
      events.push('second runs');
      throw new Error('boom');
    });
    await new Promise((done) => setTimeout(done, 300));
    assert.deepEqual(events, ['first starts'], 'the second waits');
    release();
    await first;
    await assert.rejects(second, /boom/);
    assert.deepEqual(events, ['first starts', 'first ends', 'second runs']);
    assert.equal(existsSync(join(dir, 'lock')), false);
  });

  it('takes over a lock left by a process that is gone, and says whom it waits for otherwise', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    await writeFile(join(dir, 'lock'), gone);
    assert.equal(await withBuildLock(dir, async () => 'ran'), 'ran');

    const lines: string[] = [];
    let release!: () => void;
    const held = withBuildLock(dir, () => new Promise<void>((done) => (release = done)));
    await new Promise((done) => setTimeout(done, 50));
    await writeFile(join(dir, 'lock'), String(process.ppid)); // a live process other than us holds it now
    const waiting = withBuildLock(dir, async () => 'after', (l) => lines.push(l));
    await new Promise((done) => setTimeout(done, 300));
    assert.match(lines[0] ?? '', new RegExp(`waiting for process ${process.ppid}`));
    release(); // the holder's finally removes the lock

    await held;
    assert.equal(await waiting, 'after');
  });
});
