/**
 * A fixed-seed run of the differential fuzzer (test/support/htmlFuzzer.ts): 300 generated documents
 * through the transform, the site's real renderer and the body gate. The renderer's own output must
 * show the differential (otherwise the generator has stopped finding what the gate is for); the gate's
 * output must be clean. Longer runs, other seeds: `npm run fuzz:html -- --cases N --seed S`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzCase, runCase } from '../support/htmlFuzzer.ts';
import { seededRandom } from '../support/seededRandom.ts';
import { createSiteRenderer } from '../support/siteRenderer.ts';

const SEED = 20261206;
const CASES = 300;

test(`${CASES} fuzzed documents (seed ${SEED}): script in the renderer output, none after the gate`, async () => {
  const renderer = await createSiteRenderer();
  const random = seededRandom(SEED);
  let raw = 0;
  const escaped: string[] = [];
  const begun = performance.now();
  for (let i = 0; i < CASES; i++) {
    const markdown = fuzzCase(random);
    const result = await runCase(markdown, renderer);
    if (result.raw.length > 0) raw++;
    if (result.gated.length > 0) escaped.push(`${JSON.stringify(markdown)} → ${result.gated.join('; ')}`);
  }
  console.log(
    `html fuzz: ${CASES} documents in ${((performance.now() - begun) / 1000).toFixed(1)} s; renderer alone unsafe in ${raw}, after the gate in ${escaped.length}`,
  );
  assert.ok(raw > 0, 'the generated documents no longer reach the renderer as live script: the fuzzer tests nothing');
  assert.deepEqual(escaped, []);
});
