/**
 * The site build lock: a lease with a heartbeat, not a pid file. One holder at a time; a holder
 * that died on this machine is taken over at once; one elsewhere (pids repeat across sandboxes) is
 * taken over when its lease expires, never before; a live holder that keeps renewing is waited for.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withBuildLock } from '../../functions/core/build/withBuildLock.ts';
import { createFileLeaseStore } from '../../functions/core/lease/createFileLeaseStore.ts';

const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe('withBuildLock', () => {
  let dir: string;
  let n = 0;
  const fresh = () => join(dir, `lock-${n++}`);
  /** Leave a lease as a crashed holder would: written once, never renewed. */
  const leave = async (lockDir: string, host: { name: string; boot: string; pid: number }, expiresInMs: number) => {
    const store = createFileLeaseStore(join(lockDir, 'lease'));
    const generation = ((await store.latestLease())?.generation ?? 0) + 1;
    assert.equal(
      await store.createLease({ generation, holder: `${host.name}:${host.pid}:dead`, expiresAt: Date.now() + expiresInMs, acquiredAt: Date.now(), host }),
      true,
    );
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-lock-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('runs one holder at a time and releases the lock, even when the work fails', async () => {
    const lockDir = fresh();
    const events: string[] = [];
    let release!: () => void;
    const first = withBuildLock(lockDir, async () => {
      events.push('first starts');
      await new Promise<void>((done) => (release = done));
      events.push('first ends');
    });
    await new Promise((done) => setTimeout(done, 50));
    const second = withBuildLock(lockDir, async () => {
      events.push('second runs');
      throw new Error('boom');
    });
    await new Promise((done) => setTimeout(done, 300));
    assert.deepEqual(events, ['first starts'], 'the second waits');
    release();
    await first;
    await assert.rejects(second, /boom/);
    assert.deepEqual(events, ['first starts', 'first ends', 'second runs']);
    assert.equal((await createFileLeaseStore(join(lockDir, 'lease')).latestLease())!.expiresAt, 0, 'released');
  });

  it('takes over at once a lease whose holder died on this machine in this boot', async () => {
    const lockDir = fresh();
    const gone = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    await leave(lockDir, { name: hostname(), boot, pid: gone }, 60_000);
    const started = Date.now();
    assert.equal(await withBuildLock(lockDir, async () => 'ran'), 'ran');
    assert.ok(Date.now() - started < 1000, 'no wait for the expiry');
  });

  it('does not trust a pid from another machine or sandbox: waits for that lease to expire, then takes it over', async () => {
    const lockDir = fresh();
    // The holder's pid is alive here (our parent) and also "dead" in no sense we can check: only the expiry counts.
    await leave(lockDir, { name: 'fc-sandbox', boot: 'another-boot', pid: process.ppid }, 700);
    const lines: string[] = [];
    const started = Date.now();
    assert.equal(
      await withBuildLock(
        lockDir,
        async () => 'after',
        (l) => lines.push(l),
        { ttlMs: 2000 },
      ),
      'after',
    );
    const waited = Date.now() - started;
    assert.ok(waited >= 600 && waited < 5000, `took over after ${waited} ms (the lease had 700 ms left)`);
    assert.match(lines[0] ?? '', new RegExp(`waiting for process ${process.ppid} on fc-sandbox`));
  });

  it('keeps the lock while the holder works longer than the lease, by renewing it', async () => {
    const lockDir = fresh();
    const events: string[] = [];
    const lines: string[] = [];
    const first = withBuildLock(
      lockDir,
      async () => {
        events.push('first starts');
        await new Promise((done) => setTimeout(done, 900)); // three times the lease
        events.push('first ends');
      },
      () => {},
      { ttlMs: 300 },
    );
    await new Promise((done) => setTimeout(done, 50));
    const second = withBuildLock(
      lockDir,
      async () => events.push('second runs'),
      (l) => lines.push(l),
      { ttlMs: 300 },
    );
    await Promise.all([first, second]);
    assert.deepEqual(events, ['first starts', 'first ends', 'second runs']);
    assert.match(lines[0] ?? '', new RegExp(`waiting for process ${process.pid} on ${hostname()}`));
  });
});
