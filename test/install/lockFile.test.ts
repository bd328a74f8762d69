/**
 * The committed lock file must install anywhere with `npm ci`: npm refuses a lock file that lacks the
 * optional packages of other platforms (e.g. @astrojs/compiler-binding-darwin-arm64 when the lock was
 * written on Linux), and one out of step with package.json.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const root = new URL('../../', import.meta.url);
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as LockEntry;

/** Where npm would resolve `name` from the package installed at `from` (node_modules lookup upwards). */
function resolves(from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

test('every optional dependency of every locked package is in the lock file (other platforms included)', () => {
  assert.equal(lock.lockfileVersion, 3);
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      if (!resolves(path, name)) missing.push(`${name} (optional dependency of ${path || 'the project'})`);
    }
  }
  assert.deepEqual(missing, [], 'npm ci would refuse this lock file: run `npm install --package-lock-only` and commit it');
});

test("the lock file's root entry matches package.json", () => {
  const locked = lock.packages[''];
  assert.ok(locked);
  assert.deepEqual(locked.dependencies ?? {}, pkg.dependencies ?? {});
  assert.deepEqual(locked.devDependencies ?? {}, pkg.devDependencies ?? {});
  for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) assert.ok(resolves('', name), `${name} is not in the lock file`);
});
