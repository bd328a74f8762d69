/**
 * A short fixed-seed run of the render fuzzer (scripts/fuzz-render.ts) in the suite: 400 random
 * documents of every construct class through the real renderer and page render. None may escape the
 * safety net (a crash; a hang or the worker process running out of memory — 1.5 GB — would fail a
 * whole site too: the fuzzer counts those as crashes), and the causes this
 * seed is known to hit must still be shown as text. Longer runs: `npm run fuzz:render -- --cases N`.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import type { FuzzReport } from '../../scripts/fuzz-render/fuzzRender.ts';
import { CLASSES } from '../../scripts/fuzz-render/renderCases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CASES = 400;
const SEED = 7;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/fuzz-render.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-5000)));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

it(`renders ${CASES} fuzzed documents (seed ${SEED}) through the real renderer without one failing the site`, { timeout: 180_000 }, async (t) => {
  const { code, stdout, stderr } = await run(['--cases', String(CASES), '--seed', String(SEED), '--json']);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  assert.ok(last.startsWith('{'), `the fuzzer printed no report (exit ${code}):\n${stdout.slice(-3000)}\n${stderr}`);
  const report = JSON.parse(last) as FuzzReport;
  for (const line of stdout.slice(stdout.indexOf('Render fuzzer:'), stdout.lastIndexOf('\n{')).trim().split('\n')) t.diagnostic(line);
  assert.deepEqual(report.crashes, [], 'no document escapes the safety net');
  assert.equal(code, 0);
  const counted = Object.values(report.byClass).reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
  assert.equal(counted, CASES);
  for (const kind of CLASSES) assert.ok(report.byClass[kind], `class ${kind} was fuzzed`);
  const causes = Object.keys(report.problems).join('\n');
  for (const cause of [/URI malformed/, /Invalid aside icon/, /Invalid frontmatter props/])
    assert.match(causes, cause, 'a known cause is still found, and shown as text');
  assert.ok((report.byClass['starlight-props']?.['page as text'] ?? 0) > 0, 'pages Starlight refuses are shown as text');
});
