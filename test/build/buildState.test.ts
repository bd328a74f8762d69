/**
 * The builder's memory between builds: a mirror of the last output made of hard links, and a state
 * that is never left pointing at files that changed (a crash costs a full build, not a stale page).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commitState, linkTree, loadState } from '../../functions/core/build/buildState.ts';

let dir: string;
const put = async (root: string, files: Record<string, string>): Promise<void> => {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
};
const keys = { bundleKey: 'b1', pages: { 'a/index.html': 'k1' }, shards: { '': 's1' } };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'docs-sync-state-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('linkTree', () => {
  it('links every file (same inode), skipping what it is told to, folders included', async () => {
    await put(join(dir, 'src'), { 'index.html': 'home', 'a/index.html': 'a', 'pagefind/x.pf': 'x', 'pagefind/shard/s/y.pf': 'y' });
    const count = linkTree(join(dir, 'src'), join(dir, 'dst'), (p) => p === 'pagefind/shard');
    assert.equal(count, 3);
    assert.equal((await stat(join(dir, 'dst/a/index.html'))).ino, (await stat(join(dir, 'src/a/index.html'))).ino);
    assert.equal(existsSync(join(dir, 'dst/pagefind/shard')), false);
  });
});

describe('commitState', () => {
  it('mirrors a build, then replaces only what changed, sharing every other file with the build', async () => {
    const stateDir = join(dir, 'state');
    const out1 = join(dir, 'out1');
    await put(out1, { 'index.html': 'home', 'a/index.html': 'a v1', 'b/index.html': 'b', 'pagefind/main.pf': 'm1', 'pagefind/shard/s/y.pf': 'y1' });
    await commitState(stateDir, out1, keys);
    const first = await loadState(stateDir);
    assert.ok(first);
    assert.equal(await readFile(join(first.mirrorDir, 'a/index.html'), 'utf8'), 'a v1');

    // The next build: a/index.html re-rendered, shard "s" re-indexed, everything else linked.
    const out2 = join(dir, 'out2');
    linkTree(first.mirrorDir, out2, (p) => p === 'a/index.html' || p === 'pagefind/shard/s');
    await put(out2, { 'a/index.html': 'a v2', 'pagefind/shard/s/z.pf': 'z2' });
    await commitState(
      stateDir,
      out2,
      { ...keys, pages: { 'a/index.html': 'k2' } },
      { mirror: first.mirror, files: ['a/index.html'], folders: [{ path: 'pagefind/shard/s' }] },
    );
    const second = await loadState(stateDir);
    assert.ok(second);
    assert.equal(second.mirror, first.mirror, 'the same mirror, updated in place');
    assert.deepEqual(second.pages, { 'a/index.html': 'k2' });
    assert.equal(await readFile(join(second.mirrorDir, 'a/index.html'), 'utf8'), 'a v2');
    assert.deepEqual(await readdir(join(second.mirrorDir, 'pagefind/shard/s')), ['z.pf']);
    assert.equal(await readFile(join(out1, 'a/index.html'), 'utf8'), 'a v1', 'the earlier build (a deployed release) is untouched');
    assert.equal((await stat(join(second.mirrorDir, 'b/index.html'))).ino, (await stat(join(out1, 'b/index.html'))).ino);
  });

  it('forgets the state while it changes the mirror, so a failure half-way means a full build next time', async () => {
    const stateDir = join(dir, 'state2');
    const out = join(dir, 'out3');
    await put(out, { 'index.html': 'home', 'a/index.html': 'a' });
    await commitState(stateDir, out, keys);
    const state = (await loadState(stateDir))!;
    await assert.rejects(commitState(stateDir, out, keys, { mirror: state.mirror, files: ['index.html', 'gone/index.html'], folders: [] }), /ENOENT/);
    assert.equal(await loadState(stateDir), undefined);
  });

  it('starts a new mirror after a full build and drops the old one', async () => {
    const stateDir = join(dir, 'state3');
    const out = join(dir, 'out4');
    await put(out, { 'index.html': 'home' });
    await commitState(stateDir, out, keys);
    const old = (await loadState(stateDir))!.mirror;
    await commitState(stateDir, out, keys);
    const now = (await loadState(stateDir))!.mirror;
    assert.notEqual(now, old);
    assert.equal(existsSync(join(stateDir, old)), false);
  });
});
