import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rebuild-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'notes'));
writeFileSync(join(dir, 'notes', 'readme.md'), '# Notes\n\nBuilt by the CLI.\n');
writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: notes\n    title: Notes\n    path: notes\n');
const env = {
  PATH: process.env.PATH!,
  HOME: process.env.HOME ?? '',
  ASTRO_TELEMETRY_DISABLED: '1',
  DATA_DIR: join(dir, 'data'),
  SOURCES_FILE: join(dir, 'sources.yaml'),
};
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/rebuild.ts', ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 180_000 });

describe('npm run rebuild (no server running)', () => {
  it('refuses an unknown source id, naming the configured ones', () => {
    const r = cli('--source', 'nope');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown source\(s\): nope \(configured: notes\)/);
  });

  it('refuses a broken sources file with the field and the fix', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'sources:\n  - id: Bad Id\n    title: X\n');
    const r = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/rebuild.ts'], {
      cwd: ROOT,
      env: { ...env, SOURCES_FILE: join(dir, 'bad.yaml') },
      encoding: 'utf8',
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /sources\.0\.id: must be lower-case/);
    assert.match(r.stderr, /exactly one of "repo: owner\/name"/);
  });

  it('builds and deploys in its own process, printing progress, exit 0', () => {
    const r = cli('--full');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No server is running: building here\./);
    assert.match(r.stdout, /deploy…/);
    assert.match(r.stdout, /Build \S+ succeeded\./);
    assert.ok(existsSync(join(dir, 'data', 'current', 'notes', 'index.html')));
  });
});
