/**
 * `npm run bench:webhook [-- --deliveries 5000 --concurrency 100]`
 * Starts the real server (webhook + durable SQLite queue, builder off so builds don't compete for
 * the CPU) in a child process, fires signed push deliveries at it over HTTP with N in flight, and
 * prints p50/p99 ack latency and deliveries/s. Afterwards it reopens the queue database and checks
 * that every 202 corresponds to a durably recorded build. Targets: p99 ≤ 20 ms, ≥ 1,000/s.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { BuildQueue } from '../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../functions/core/queue/openDatabase.ts';
import { startLocal } from '../functions/local/startLocal.ts';
import { pushPayload, signedDelivery } from '../test/support/signedDelivery.ts';

const SECRET = 'bench-secret';

/** One POST over a keep-alive agent; resolves with the status and body text. */
function post(url: string, headers: Record<string, string>, body: string, agent: Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

if (process.env.BENCH_CHILD) {
  const rt = await startLocal({ env: { ...process.env, PORT: '0' }, builder: false, host: '127.0.0.1', log: () => {} });
  process.send!({ url: rt.url.replace('localhost', '127.0.0.1') });
  process.on('disconnect', () => void rt.close().then(() => process.exit(0)));
} else {
  const { values } = parseArgs({
    options: { deliveries: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '100' }, rate: { type: 'string', default: '1000' } },
  });
  const total = Number(values.deliveries);
  const concurrency = Number(values.concurrency);
  const rate = Number(values.rate);
  const dir = mkdtempSync(join(tmpdir(), 'bench-webhook-'));
  writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: fc\n    title: FC\n    repo: devsapp/fc\n');
  const env = { ...process.env, BENCH_CHILD: '1', DATA_DIR: join(dir, 'data'), SOURCES_FILE: join(dir, 'sources.yaml'), GITHUB_WEBHOOK_SECRET: SECRET };
  const child = fork(new URL(import.meta.url).pathname, [], { env, execArgv: ['--disable-warning=ExperimentalWarning'] });
  const { url } = await new Promise<{ url: string }>((resolve) => child.once('message', (m) => resolve(m as { url: string })));

  console.log(`Signing ${2 * total} push deliveries (real HMAC-SHA256 over real payloads)…`);
  const make = (offset: number) =>
    Promise.all(
      Array.from({ length: total }, (_, i) =>
        signedDelivery(SECRET, 'push', pushPayload('devsapp/fc', 'main', { sha: (offset + i).toString(16).padStart(40, '0') })),
      ),
    );
  const [closedSet, openSet] = [await make(0), await make(total)];
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = new Map<number, number>();
  const ids: string[] = [];
  let firstError = '';
  const send = async (d: Awaited<ReturnType<typeof signedDelivery>>): Promise<void> => {
    const res = await post(`${url}/webhook`, d.headers, d.body, agent);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const body = JSON.parse(res.text) as { id?: string; error?: string };
    if (res.status !== 202 && !firstError) firstError = `${res.status} ${body.error}`;
    if (res.status === 202 && body.id) ids.push(body.id);
  };
  // Warm-up (JIT, connections), not counted.
  const warm = await signedDelivery(SECRET, 'ping', { zen: 'warm-up' });
  await Promise.all(
    Array.from({ length: concurrency }, (_, i) => post(`${url}/webhook`, { ...warm.headers, 'x-github-delivery': `warm-${i}` }, warm.body, agent)),
  );

  // Phase 1, saturation: `concurrency` deliveries always in flight (closed loop) → the most it can take.
  const closedLatencies: number[] = [];
  let next = 0;
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const d = closedSet[next++]!;
        const t0 = performance.now();
        await send(d);
        closedLatencies.push(performance.now() - t0);
      }
    }),
  );
  const throughput = total / ((performance.now() - t1) / 1000);

  // Phase 2, GitHub-like load: deliveries arrive at `rate`/s over up to `concurrency` connections
  // (open loop). Latency is measured from each delivery's scheduled arrival, so time spent waiting
  // for a free connection counts too (no coordinated omission).
  const openLatencies: number[] = [];
  const t2 = performance.now();
  await Promise.all(
    openSet.map(async (d, i) => {
      const due = t2 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // Timers may fire a little early (ms granularity): never count from before the real start.
      const from = Math.max(due, performance.now());
      await send(d);
      openLatencies.push(performance.now() - from);
    }),
  );
  const achieved = total / ((performance.now() - t2) / 1000);
  agent.destroy();
  child.disconnect();
  await new Promise((r) => child.once('exit', r));

  const queue = new BuildQueue(openDatabase(join(dir, 'data', 'queue.db')));
  const durable = ids.filter((id) => queue.get(id)?.state === 'queued').length;
  queue.db.close();
  rmSync(dir, { recursive: true, force: true });

  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  console.log(`\nwebhook ack benchmark — signed pushes, Node ${process.version}, client and server on this ${os.cpus().length}-core machine`);
  console.log(`  statuses:            ${[...statuses].map(([st, n]) => `${st}×${n}`).join(', ')}`);
  if (firstError) console.log(`  first error:         ${firstError}`);
  console.log(`  saturation (${concurrency} in flight, ${total} deliveries):`);
  console.log(`    throughput:        ${throughput.toFixed(0)} deliveries/s   (target ≥ 1,000/s)`);
  console.log(`    latency p50 / p99: ${ms(pct(closedLatencies, 50))} / ${ms(pct(closedLatencies, 99))}   (queueing: ${concurrency} in flight ÷ throughput)`);
  console.log(`  at ${rate}/s offered over up to ${concurrency} connections (${total} deliveries, achieved ${achieved.toFixed(0)}/s):`);
  console.log(`    latency p50:       ${ms(pct(openLatencies, 50))}`);
  console.log(`    latency p99:       ${ms(pct(openLatencies, 99))}   (target ≤ 20 ms)`);
  console.log(`    latency max:       ${ms(pct(openLatencies, 100))}`);
  console.log(`  durable:             ${durable}/${ids.length} accepted builds found in the queue database after the server stopped`);
  const ok = pct(openLatencies, 99) <= 20 && throughput >= 1000 && durable === ids.length && ids.length === 2 * total;
  console.log(`  verdict:             ${ok ? 'meets the targets' : 'MISSES a target'}`);
}
