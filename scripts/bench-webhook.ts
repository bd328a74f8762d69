/**
 * `npm run bench:webhook [-- --deliveries 5000 --concurrency 100]`
 * Starts the real server (webhook + durable SQLite queue, builder off so builds don't compete for
 * the CPU) in a child process, fires signed push deliveries at it over HTTP with N in flight, and
 * prints p50/p99 ack latency and deliveries/s. Afterwards it reopens the queue database and checks
 * that every 202 corresponds to a durably recorded build. Targets: p99 ≤ 20 ms, ≥ 1,000/s.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  const { values } = parseArgs({ options: { deliveries: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '100' } } });
  const total = Number(values.deliveries);
  const concurrency = Number(values.concurrency);
  const dir = mkdtempSync(join(tmpdir(), 'bench-webhook-'));
  writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: fc\n    title: FC\n    repo: devsapp/fc\n');
  const env = { ...process.env, BENCH_CHILD: '1', DATA_DIR: join(dir, 'data'), SOURCES_FILE: join(dir, 'sources.yaml'), GITHUB_WEBHOOK_SECRET: SECRET };
  const child = fork(new URL(import.meta.url).pathname, [], { env, execArgv: ['--disable-warning=ExperimentalWarning'] });
  const { url } = await new Promise<{ url: string }>((resolve) => child.once('message', (m) => resolve(m as { url: string })));

  console.log(`Signing ${total} push deliveries…`);
  const deliveries = await Promise.all(Array.from({ length: total }, (_, i) => signedDelivery(SECRET, 'push', pushPayload('devsapp/fc', 'main', { sha: i.toString(16).padStart(40, '0') }))));
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const ids: string[] = [];
  let next = 0;
  let firstError = '';
  // Warm-up (JIT, connections), not counted.
  const warm = await signedDelivery(SECRET, 'ping', { zen: 'warm-up' });
  await Promise.all(Array.from({ length: concurrency }, (_, i) => post(`${url}/webhook`, { ...warm.headers, 'x-github-delivery': `warm-${i}` }, warm.body, agent)));
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const d = deliveries[next++]!;
        const t0 = performance.now();
        const res = await post(`${url}/webhook`, d.headers, d.body, agent);
        latencies.push(performance.now() - t0);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const body = JSON.parse(res.text) as { id?: string; error?: string };
        if (res.status !== 202 && !firstError) firstError = `${res.status} ${body.error}`;
        if (res.status === 202 && body.id) ids.push(body.id);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  child.disconnect();
  await new Promise((r) => child.once('exit', r));

  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2);
  const queue = new BuildQueue(openDatabase(join(dir, 'data', 'queue.db')));
  const durable = ids.filter((id) => queue.get(id)?.state === 'queued').length;
  queue.db.close();
  rmSync(dir, { recursive: true, force: true });

  const rate = total / seconds;
  console.log(`\nwebhook ack benchmark: ${total} signed pushes, ${concurrency} in flight, Node ${process.version}`);
  console.log(`  statuses:        ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}`);
  if (firstError) console.log(`  first error:     ${firstError}`);
  console.log(`  latency p50:     ${pct(50)} ms`);
  console.log(`  latency p99:     ${pct(99)} ms   (target ≤ 20 ms)`);
  console.log(`  latency max:     ${latencies[latencies.length - 1]!.toFixed(2)} ms`);
  console.log(`  throughput:      ${rate.toFixed(0)} deliveries/s   (target ≥ 1,000/s)`);
  console.log(`  durable:         ${durable}/${ids.length} accepted builds found in the queue after the server stopped`);
  const ok = Number(pct(99)) <= 20 && rate >= 1000 && durable === ids.length && ids.length === total;
  console.log(`  verdict:         ${ok ? 'meets the targets' : 'MISSES a target'}`);
}
