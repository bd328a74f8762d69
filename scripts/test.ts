/**
 * The test command: `npm test` (or `npm test -- test/queue` to run a subset).
 * Sets up what the tests need that npm does not install (Debian's chromium for the browser tests),
 * type-checks, checks formatting and lint (Biome) and dependencies (knip), then runs every test file
 * with Node's test runner.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath } from '../test/support/chromiumPath.ts';

function run(cmd: string, args: string[], what: string): void {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n✗ ${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}

function ensureChromium(): void {
  if (chromiumPath()) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    console.error('✗ Chromium not found. Install Debian\'s "chromium" package (apt-get install chromium) or set CHROMIUM_PATH.');
    process.exit(1);
  }
  console.log("• Installing Debian's chromium for the browser tests (apt-get)…");
  run('apt-get', ['update', '-qq'], 'apt-get update');
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], 'apt-get install chromium');
}

function testFiles(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
    else if (p.endsWith('.test.ts')) out.push(p);
  };
  for (const r of roots) walk(r);
  return out;
}

const args = process.argv.slice(2);
const roots = args.length ? args : ['test'];
ensureChromium();
console.log('• Type-checking (tsc)…');
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], 'Type-check');
console.log('• Formatter and linter (Biome), dependencies and unused files (knip)…');
run(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'check', '.'], 'Biome (npm run format fixes the formatting)');
run(process.execPath, ['node_modules/knip/bin/knip.js', '--include', 'dependencies,unlisted,unresolved,files,binaries'], 'knip');
const files = testFiles(roots);
console.log(`• Running ${files.length} test files…`);
run(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=600000', ...files], 'Tests');
