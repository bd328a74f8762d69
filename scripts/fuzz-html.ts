/**
 * `npm run fuzz:html -- [--cases N] [--seed S]`: the differential fuzzer of test/support/htmlFuzzer.ts
 * for as long as you like. Prints how many generated documents the renderer alone turns into script
 * (what the gate is for), how many get past the gate (must be 0, each printed to keep as a test), and
 * the time per case. Exit status 1 when any got past the gate.
 */
import { parseArgs } from 'node:util';
import { fuzzCase, runCase } from '../test/support/htmlFuzzer.ts';
import { seededRandom } from '../test/support/seededRandom.ts';
import { createSiteRenderer } from '../test/support/siteRenderer.ts';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '1000' }, seed: { type: 'string' } } });
const cases = Number(values.cases);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed)) {
  console.error('Usage: npm run fuzz:html -- [--cases N] [--seed S]  (N ≥ 1, S an integer)');
  process.exit(2);
}
const renderer = await createSiteRenderer();
const random = seededRandom(seed);
let raw = 0;
let errors = 0;
const escaped: Array<{ markdown: string; problems: string[] }> = [];
const begun = performance.now();
for (let i = 0; i < cases; i++) {
  const markdown = fuzzCase(random);
  const result = await runCase(markdown, renderer);
  if (result.error !== undefined) errors++;
  if (result.raw.length > 0) raw++;
  if (result.gated.length > 0) escaped.push({ markdown, problems: result.gated });
}
const ms = performance.now() - begun;
console.log(`seed ${seed}: ${cases} documents in ${(ms / 1000).toFixed(1)} s (${(ms / cases).toFixed(1)} ms each)`);
console.log(`  renderer output alone would run script or load code: ${raw} (${((100 * raw) / cases).toFixed(1)} %)`);
console.log(`  renderer refused the document: ${errors}`);
console.log(`  unsafe after the gate: ${escaped.length}`);
for (const e of escaped.slice(0, 20)) console.log(`\n${JSON.stringify(e.markdown)}\n  → ${e.problems.join('; ')}`);
process.exit(escaped.length > 0 ? 1 : 0);
