/**
 * Render fuzzer: `npm run fuzz:render -- --cases N [--seed S] [--save failures.json] [--json]`.
 * Renders N random documents (scripts/fuzz-render/renderCases.ts: directives, asides, code fences with
 * every Expressive Code meta key, odd URLs, front matter of every YAML type, raw HTML, MDX-looking
 * syntax, control characters, invalid UTF-8, huge lines) through the real renderer and the real page
 * render (scripts/fuzz-render/fuzzRender.ts) and prints: cases, outcomes per class (rendered, shown as
 * text, crash), what refused pages, ms per case. A crash is a document that would fail the whole
 * site: the exit status is 1 when there is one. `--save` writes every case shown as text or crashing
 * (base64 bytes) to keep as regression tests. `--json` prints the report as JSON on the last line.
 */
import { writeFile } from 'node:fs/promises';
import { fuzzRender, type CaseResult } from './fuzz-render/fuzzRender.ts';
import type { RenderCase } from './fuzz-render/renderCases.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const cases = Number(option('cases') ?? 500);
const seed = Number(option('seed') ?? Date.now() % 1_000_000);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  console.error('Usage: npm run fuzz:render -- --cases N [--seed S] [--save file.json] [--json]   (N, S whole numbers)');
  process.exit(2);
}
const saved: Array<{ id: number; kind: string; raw: boolean; outcome: string; problem?: string; page?: RenderCase['page']; base64: string }> = [];
const report = await fuzzRender({
  cases, seed,
  onCase: (c: RenderCase, r: CaseResult) => {
    if (r.outcome !== 'rendered') saved.push({ id: c.id, kind: c.kind, raw: r.raw, outcome: r.outcome, ...(r.problem ? { problem: r.problem } : {}), ...(c.page ? { page: c.page } : {}), base64: Buffer.from(c.bytes).toString('base64') });
    if ((c.id + 1) % 100 === 0) console.error(`… ${c.id + 1} of ${cases} cases`);
  },
});
const save = option('save');
if (save) await writeFile(save, JSON.stringify(saved, null, 1));

console.log(`\nRender fuzzer: ${report.cases} cases, seed ${report.seed}; astro build ${(report.astroMs / 1000).toFixed(1)} s, then ${report.msPerCase} ms/case`);
console.log('\nclass          rendered  body as text  page as text  crash');
for (const [kind, counts] of Object.entries(report.byClass).sort()) {
  console.log(`${kind.padEnd(14)} ${String(counts.rendered ?? 0).padStart(8)}  ${String(counts['body as text'] ?? 0).padStart(12)}  ${String(counts['page as text'] ?? 0).padStart(12)}  ${String(counts.crash ?? 0).padStart(5)}`);
}
console.log('\nShown as text, by cause (count, class of the first case, its number):');
for (const [cause, p] of Object.entries(report.problems).sort((a, b) => b[1].count - a[1].count)) console.log(`${String(p.count).padStart(5)}  ${p.kind.padEnd(13)} #${String(p.example).padEnd(6)} ${cause}`);
for (const crash of report.crashes) console.log(`\nCRASH case #${crash.id} (${crash.kind}${crash.raw ? ', raw' : ''}): ${crash.problem}`);
if (save) console.log(`\n${saved.length} cases written to ${save}`);
if (args.includes('--json')) console.log(JSON.stringify(report));
process.exitCode = report.crashes.length ? 1 : 0;
