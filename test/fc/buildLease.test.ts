/**
 * One build at a time on FC without a pid lock: the build lease in the build store. Two builder
 * instances sharing the store never build at once (each renews its lease through builds longer than
 * the lease); a holder killed with SIGKILL is taken over once its lease expires — seconds, not the
 * attempt timeout (here 10 minutes).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createBuilderFunction } from '../../functions/builder/createBuilderFunction.ts';
import type { BuildRecord } from '../../functions/core/types.ts';
import { buildStoreDir, createFileBuildStore } from '../../functions/fc/createFileBuildStore.ts';
import { serveFunction, type ServedFunction } from '../../functions/fc/serveFunction.ts';
import { fastSteps } from '../support/fastSteps.ts';
import { manualBuildJob } from '../support/manualBuildJob.ts';

const root = new URL('../../', import.meta.url);

const newJob = (): { build: BuildRecord } => manualBuildJob(Date.now(), false);

async function invoke(url: string, payload: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/invoke`, {
    method: 'POST',
    headers: { 'x-fc-request-id': `req-${Math.random().toString(16).slice(2)}` },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: await res.json() };
}

describe('the build lease on FC', () => {
  let dir: string;
  let dataDir: string;
  const servers: ServedFunction[] = [];
  const intervals: Array<{ instance: string; start: number; end: number }> = [];
  const logs: string[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fc-lease-'));
    dataDir = join(dir, 'data');
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'readme.md'), '# Handbook\n\nOne build at a time.\n');
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: handbook\n    title: Handbook\n    path: docs\n');
  });
  after(async () => {
    for (const s of servers) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A builder function instance on the shared data folder whose site build takes `buildMs`. */
  async function instance(name: string, buildMs: number, leaseTtlMs: number): Promise<string> {
    const copy = fastSteps(async () => ({ fetched: [], failures: [] })).buildSite;
    const buildSite: typeof copy = async (options) => {
      const start = Date.now();
      await sleep(buildMs);
      const result = await copy(options);
      intervals.push({ instance: name, start, end: Date.now() });
      return result;
    };
    const env = { SOURCES_FILE: join(dir, 'sources.yaml'), DATA_DIR: dataDir, BUILD_TIMEOUT_SECONDS: '600' };
    const fn = createBuilderFunction({ env, cwd: dir, log: (l) => logs.push(`${name}: ${l}`), steps: { buildSite }, leaseTtlMs });
    const served = await serveFunction(fn.handler, { port: 0, host: '127.0.0.1', log: (l) => logs.push(l) });
    servers.push(served);
    return served.url;
  }

  it('two builder instances never build at once, also when a build outlasts the lease', async () => {
    intervals.length = 0;
    const a = await instance('A', 700, 500);
    const b = await instance('B', 700, 500);
    const results = await Promise.all([a, b, a, b].map((url) => invoke(url, newJob())));
    for (const r of results) assert.equal(r.body.state, 'succeeded', JSON.stringify(r.body));
    assert.equal(intervals.length, 4);
    assert.deepEqual(new Set(intervals.map((i) => i.instance)), new Set(['A', 'B']), 'both instances built');
    const sorted = [...intervals].sort((x, y) => x.start - y.start);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i]!.start >= sorted[i - 1]!.end, `builds overlap: ${JSON.stringify(sorted)}`);
  });

  it('takes over the lease of a builder killed mid-build once it expires, not after the attempt timeout', async () => {
    intervals.length = 0;
    const store = buildStoreDir(dataDir);
    // A builder process that takes the lease (2 s, renewed), then is killed with SIGKILL.
    const script = `
      const { acquireLease } = await import(${JSON.stringify(new URL('functions/core/lease/holdLease.ts', root).href)});
      const { createFileBuildStore } = await import(${JSON.stringify(new URL('functions/fc/createFileBuildStore.ts', root).href)});
      await acquireLease(createFileBuildStore(process.env.STORE_DIR), { holder: 'builder-crashed', ttlMs: 2000 });
      process.stdout.write('held\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, STORE_DIR: store },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
      child.once('exit', (code) => reject(new Error(`lease holder exited early (${code})`)));
    });
    const url = await instance('C', 50, 2000);
    const job = newJob();
    const done = invoke(url, job);
    await sleep(3000); // longer than the lease: the live holder renews it, the builder keeps waiting
    assert.equal(intervals.length, 0, 'no build while the holder lives');
    const killedAt = Date.now();
    child.kill('SIGKILL');
    const r = await done;
    assert.equal(r.body.state, 'succeeded', JSON.stringify(r.body));
    const startedAfterKill = Date.parse((await createFileBuildStore(store).get(job.build.id))!.startedAt!) - killedAt;
    assert.ok(startedAfterKill > 0 && startedAfterKill < 2000 + 3000, `built ${startedAfterKill} ms after the kill (lease 2 s; attempt timeout 600 s)`);
    assert.ok(logs.some((l) => /C: .*waiting for the build lease, held by builder-crashed/.test(l)));
  });
});
