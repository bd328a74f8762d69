/**
 * `npm run bench:fc`: figures for the Function Compute packages, measured on the FC emulator
 * (test/support/fcEmulator) from freshly built packages: the webhook package's size zipped and
 * unzipped, its module initialisation (load and evaluate the bundle until it listens), process start
 * to the first 202 (median of 10 cold starts: spawn, listen, signed push, FC accepted the task),
 * warm ack p50/p99 (instance frozen and thawed between deliveries, as FC does); the builder
 * package's size. Targets: ≤ 1 MB zipped, init ≤ 100 ms, cold start to first 202 ≤ 300 ms.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFcEmulator } from '../test/support/fcEmulator/startFcEmulator.ts';
import { postDelivery, pushPayload, signedDelivery } from '../test/support/signedDelivery.ts';
import { folderBytes, writeZip } from './fc/writeZip.ts';
import { packageFunctions, ROOT } from './package-fc.ts';

const SECRET = 'bench-fc-secret';
const WEBHOOK = 'docs-sync-webhook';
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const dir = mkdtempSync(join(tmpdir(), 'bench-fc-'));
console.log(
  `Node ${process.version}, ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (wall times grow with the load; CPU times less so)`,
);
try {
  writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n');
  const { webhookDir } = await packageFunctions({ outRoot: dir, sourcesFile: join(dir, 'sources.yaml'), builder: false });
  const { builderDir } = await packageFunctions({ outRoot: dir, webhook: false });
  console.log('Webhook function package (dist/fc/webhook)');
  console.log(`  size: ${mb(writeZip(webhookDir, `${webhookDir}.zip`, 9))} zipped, ${mb(folderBytes(webhookDir))} unzipped   (target ≤ 1 MB zipped)`);

  // Module initialisation: import the bundle in a fresh Node and time it until the server listens.
  const inits: number[] = [];
  const initCpu: number[] = [];
  for (let i = 0; i < 10; i++) {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(pathToFileURL(join(webhookDir, 'index.mjs')).href)}); const u = process.cpuUsage(c); console.log('INIT', performance.now() - t, (u.user + u.system) / 1000); process.exit(0);`,
      ],
      {
        cwd: webhookDir,
        env: {
          PATH: process.env.PATH ?? '',
          FC_FUNC_CODE_PATH: webhookDir,
          FC_CUSTOM_LISTEN_PORT: '0',
          SOURCES_FILE: 'sources.json',
          DATA_DIR: join(dir, 'init-data'),
          GITHUB_WEBHOOK_SECRET: SECRET,
        },
      },
    ).toString();
    const m = /INIT ([\d.]+) ([\d.]+)/.exec(out)!;
    inits.push(Number(m[1]));
    initCpu.push(Number(m[2]));
  }
  console.log(`  module initialisation: median ${ms(pct(inits, 50))} of 10 (CPU ${ms(pct(initCpu, 50))}, all threads)   (target ≤ 100 ms)`);

  const fc = await startFcEmulator({
    sYaml: join(ROOT, 's.yaml'),
    codeRoot: dir,
    deployEnv: { GITHUB_WEBHOOK_SECRET: SECRET },
    hold: ['docs-sync-builder'],
    resumeDelayMs: 0,
    functionEnv: { 'docs-sync-webhook': { DEPLOY_TARGET: 'local' } },
  });
  try {
    const runner = fc.runners.get(WEBHOOK)!;
    const url = `${fc.triggerUrls[WEBHOOK]}/webhook`;
    const push = () => signedDelivery(SECRET, 'push', pushPayload('acme/widgets', 'main'));
    const colds: number[] = [];
    const starts: number[] = [];
    const coldCpu: number[] = [];
    // CPU the instance used so far (utime + stime, clock ticks of 10 ms), from Linux's /proc.
    const cpuMs = (pid: number) => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    };
    for (let i = 0; i < 10; i++) {
      await runner.recycle();
      const d = await push();
      const t = performance.now();
      const r = await postDelivery(url, d);
      if (r.status !== 202) throw new Error(`cold start ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      colds.push(performance.now() - t);
      starts.push(runner.starts.at(-1)!.startMs);
      coldCpu.push(cpuMs(runner.instance()!.child.pid!));
    }
    console.log(
      `  process start to first 202: median ${ms(pct(colds, 50))} of 10 cold starts (spawn to listening: ${ms(pct(starts, 50))}; the instance's CPU until the 202: ${ms(pct(coldCpu, 50))})   (target ≤ 300 ms)`,
    );
    const warm: number[] = [];
    for (let i = 0; i < 300; i++) {
      const d = await push();
      const t = performance.now();
      const r = await postDelivery(url, d);
      if (r.status !== 202) throw new Error(`warm ${i}: ${r.status}`);
      warm.push(performance.now() - t);
    }
    console.log(`  warm ack (300 deliveries, thawed for each): p50 ${ms(pct(warm, 50))}, p99 ${ms(pct(warm, 99))}`);
  } finally {
    await fc.close();
  }

  console.log('Builder function package (dist/fc/builder)');
  console.log(
    `  size: ${mb(folderBytes(builderDir))} unzipped, ${mb(writeZip(builderDir, `${builderDir}.zip`, 1))} zipped (deflate level 1); one Node ${process.version} (node/bin/node), no C headers`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
