/**
 * Render fuzzer: `npm run fuzz:render -- --cases N [--seed S] [--case-timeout s] [--save f.json] [--json]`.
 * Renders N random documents (scripts/fuzz-render/renderCases.ts: directives, asides, code fences with
 * every Expressive Code meta key, odd URLs, front matter of every YAML type, raw HTML, MDX-looking
 * syntax, control characters, invalid UTF-8, huge lines) through the real renderer and the real page
 * render (scripts/fuzz-render/fuzzRender.ts) and prints: cases, outcomes per class (rendered, shown as
 * text, crash), what refused pages, ms per case. A crash is a document that would fail the whole
 * site: one that escapes the safety net, or hangs (no answer within `--case-timeout`, default 60 s) or
 * kills its worker process (1.5 GB of memory); the fuzzer then goes on in a new worker. The exit
 * status is 1 when there is one. `--save` writes every case shown as text or crashing
 * (base64 bytes) to keep as regression tests. `--json` prints the report as JSON on the last line.
 */
import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { emptyReport, tally, type CaseResult } from './fuzz-render/fuzzRender.ts';
import { renderCase, type RenderCase } from './fuzz-render/renderCases.ts';

const WORKER = fileURLToPath(new URL('./fuzz-render-worker.ts', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const cases = Number(option('cases') ?? 500);
const seed = Number(option('seed') ?? Date.now() % 1_000_000);
const caseTimeoutMs = Number(option('case-timeout') ?? 60) * 1000;
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed) || !(caseTimeoutMs > 0)) {
  console.error('Usage: npm run fuzz:render -- --cases N [--seed S] [--case-timeout seconds] [--save file.json] [--json]');
  process.exit(2);
}
type Saved = { id: number; kind: string; raw: boolean; outcome: string; problem?: string; page?: RenderCase['page']; base64: string };
const saved: Saved[] = [];
const report = emptyReport(cases, seed);
const record = (result: CaseResult, base64: string, page?: RenderCase['page']): void => {
  tally(report, result);
  if (result.outcome !== 'rendered')
    saved.push({
      id: result.id,
      kind: result.kind,
      raw: result.raw,
      outcome: result.outcome,
      ...(result.problem ? { problem: result.problem } : {}),
      ...(page ? { page } : {}),
      base64,
    });
  if ((result.id + 1) % 100 === 0) console.error(`… ${result.id + 1} of ${cases} cases`);
};

/**
 * Run cases from `from` in a worker process until they are done or the worker stops answering
 * (`--case-timeout` for one case, the astro build included) or dies; resolves to the next case to run.
 */
function runWorker(from: number): Promise<number> {
  return new Promise((done) => {
    const child = fork(WORKER, [String(seed), String(from), String(cases)], {
      execArgv: ['--disable-warning=ExperimentalWarning', '--max-old-space-size=1536'],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let current = from;
    let finished = false;
    let readyAt: number | undefined;
    let hung = false;
    let timer = setTimeout(() => undefined, 0);
    const watch = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        hung = true;
        child.kill('SIGKILL');
      }, caseTimeoutMs);
    };
    watch();
    let tail = '';
    child.stderr!.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
    child.on('message', (m: { type: string; id?: number; result?: CaseResult; base64?: string; page?: RenderCase['page']; astroMs?: number }) => {
      watch();
      if (m.type === 'start') current = m.id!;
      if (m.type === 'case') {
        record(m.result!, m.base64 ?? '', m.page);
        current = m.result!.id + 1;
      }
      if (m.type === 'ready') {
        report.astroMs += m.astroMs!;
        readyAt = performance.now();
      }
      if (m.type === 'done') finished = true;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (readyAt !== undefined) caseMs += performance.now() - readyAt;
      if (finished || current >= cases) return done(cases);
      const c = renderCase(seed, current);
      const why = hung
        ? `hung: no answer within ${caseTimeoutMs / 1000} s`
        : `the process died (${signal ?? `exit ${code}`}): ${/heap out of memory/i.test(tail) ? 'out of memory' : tail.trim().split('\n').slice(-3).join(' | ')}`;
      record({ id: current, kind: c.kind, raw: current % 3 === 0, outcome: 'crash', problem: why }, Buffer.from(c.bytes).toString('base64'), c.page);
      done(current + 1);
    });
  });
}

let caseMs = 0;
let workers = 0;
for (let next = 0; next < cases; workers++) next = await runWorker(next);
report.msPerCase = Math.round((caseMs / cases) * 10) / 10;
const save = option('save');
if (save) await writeFile(save, JSON.stringify(saved, null, 1));

console.log(
  `\nRender fuzzer: ${report.cases} cases, seed ${report.seed}; astro build${workers > 1 ? `s (${workers} worker processes)` : ''} ${(report.astroMs / 1000).toFixed(1)} s, then ${report.msPerCase} ms/case`,
);
console.log('\nclass            rendered  body as text  page as text  crash');
for (const [kind, counts] of Object.entries(report.byClass).sort()) {
  console.log(
    `${kind.padEnd(16)} ${String(counts.rendered ?? 0).padStart(8)}  ${String(counts['body as text'] ?? 0).padStart(12)}  ${String(counts['page as text'] ?? 0).padStart(12)}  ${String(counts.crash ?? 0).padStart(5)}`,
  );
}
console.log('\nShown as text, by cause (count, class of the first case, its number):');
for (const [cause, p] of Object.entries(report.problems).sort((a, b) => b[1].count - a[1].count))
  console.log(`${String(p.count).padStart(5)}  ${p.kind.padEnd(15)} #${String(p.example).padEnd(6)} ${cause}`);
for (const crash of report.crashes) console.log(`\nCRASH case #${crash.id} (${crash.kind}${crash.raw ? ', raw' : ''}): ${crash.problem}`);
if (save) console.log(`\n${saved.length} cases written to ${save}`);
if (args.includes('--json')) console.log(JSON.stringify(report));
process.exitCode = report.crashes.length ? 1 : 0;
