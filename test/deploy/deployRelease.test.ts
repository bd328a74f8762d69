import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { activateRelease, currentRelease, deployRelease, listReleases } from '../../functions/core/deploy/deployRelease.ts';

let root: string;
let dataDir: string;
let n = 0;

/** A finished build folder whose pages say which build they came from. */
async function built(label: string, base = root): Promise<string> {
  const dir = join(base, `built-${label}-${n++}`);
  await mkdir(join(dir, '_astro'), { recursive: true });
  await writeFile(join(dir, 'index.html'), `<h1>${label}</h1>`);
  await writeFile(join(dir, '_astro', 'app.js'), `// ${label}`);
  return dir;
}
const served = async (): Promise<string> => readFile(join(dataDir, 'current', 'index.html'), 'utf8');
const names = async (): Promise<string[]> => (await listReleases(dataDir)).map((r) => r.release);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'docs-sync-deploy-'));
  dataDir = join(root, 'data');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('deployRelease', () => {
  it('moves the build into releases/<id> and points current at it', async () => {
    assert.equal(await currentRelease(dataDir), undefined, 'nothing deployed yet');
    const dir = await built('one');
    const result = await deployRelease({ dataDir, builtDir: dir, id: 'b1' });
    assert.deepEqual({ release: result.release, path: result.path }, { release: 'b1', path: join(dataDir, 'releases', 'b1') });
    assert.equal(existsSync(dir), false, 'moved, not copied');
    assert.equal(await readlink(join(dataDir, 'current')), join('releases', 'b1'), 'relative symlink: the data dir can move');
    assert.equal(await served(), '<h1>one</h1>');
    assert.deepEqual(await currentRelease(dataDir), { release: 'b1', path: join(dataDir, 'releases', 'b1') });
  });

  it('switches to each new release and prunes to the newest `keep`', async () => {
    for (const id of ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']) {
      await deployRelease({ dataDir, builtDir: await built(id), id, keep: 3 });
      assert.equal(await served(), `<h1>${id}</h1>`);
    }
    assert.deepEqual(await names(), ['b7', 'b6', 'b5']);
    assert.deepEqual((await readdir(join(dataDir, 'releases'))).sort(), ['b5', 'b6', 'b7']);
  });

  it('rolls back with activateRelease; the rolled-back release then counts as newest when pruning', async () => {
    for (const id of ['b1', 'b2', 'b3']) await deployRelease({ dataDir, builtDir: await built(id), id });
    await activateRelease(dataDir, 'b1');
    assert.equal(await served(), '<h1>b1</h1>');
    const list = await listReleases(dataDir);
    assert.deepEqual(
      list.map((r) => [r.release, r.current]),
      [
        ['b1', true],
        ['b3', false],
        ['b2', false],
      ],
      'rollback target counts as newest',
    );

    const { pruned } = await deployRelease({ dataDir, builtDir: await built('b4'), id: 'b4', keep: 2 });
    assert.deepEqual(pruned.sort(), ['b2', 'b3']);
    assert.deepEqual(await names(), ['b4', 'b1']);
    const { pruned: more } = await deployRelease({ dataDir, builtDir: await built('b5'), id: 'b5', keep: 1 });
    assert.deepEqual(more.sort(), ['b1', 'b4']);
    assert.deepEqual(await names(), ['b5']);
    assert.equal(await served(), '<h1>b5</h1>');
  });

  it('is not confused by leftovers of a crashed deploy (temp copy, temp symlink, half-deleted release)', async () => {
    await deployRelease({ dataDir, builtDir: await built('b1'), id: 'b1' });
    // A crash mid-copy, mid-switch and mid-prune leaves these behind:
    await mkdir(join(dataDir, 'releases', '.incoming-0badc0de'), { recursive: true });
    await writeFile(join(dataDir, 'releases', '.incoming-0badc0de', 'index.html'), 'half');
    await mkdir(join(dataDir, 'releases', '.deleting-b0-12345678'));
    await symlink(join('releases', '.incoming-0badc0de'), join(dataDir, '.current-deadbeef'));
    await symlink(join('releases', 'nope'), join(dataDir, '.current-feedface'));

    assert.deepEqual(await currentRelease(dataDir), { release: 'b1', path: join(dataDir, 'releases', 'b1') }, 'current still complete');
    assert.deepEqual(await names(), ['b1'], 'temporary folders are not releases');
    await assert.rejects(activateRelease(dataDir, '.incoming-0badc0de'), /not usable as a folder name/);

    await deployRelease({ dataDir, builtDir: await built('b2'), id: 'b2' });
    assert.equal(await served(), '<h1>b2</h1>');
    assert.deepEqual((await readdir(join(dataDir, 'releases'))).sort(), ['b1', 'b2'], 'leftovers cleaned');
    assert.deepEqual((await readdir(dataDir)).sort(), ['current', 'releases']);
  });

  it('copies in one step when the build is on another filesystem', {
    skip: !existsSync('/dev/shm') || statSync('/dev/shm').dev === statSync(tmpdir()).dev,
  }, async () => {
    const shm = await mkdtemp('/dev/shm/docs-sync-deploy-');
    try {
      const dir = await built('far', shm);
      await deployRelease({ dataDir, builtDir: dir, id: 'far' });
      assert.equal(await served(), '<h1>far</h1>');
      assert.equal(await readFile(join(dataDir, 'current', '_astro', 'app.js'), 'utf8'), '// far');
      assert.equal(existsSync(dir), false, 'source removed after the copy');
      assert.deepEqual(await readdir(join(dataDir, 'releases')), ['far']);
    } finally {
      await rm(shm, { recursive: true, force: true });
    }
  });

  it('refuses bad input with messages that say what to do', async () => {
    await deployRelease({ dataDir, builtDir: await built('b1'), id: 'b1' });
    await assert.rejects(
      deployRelease({ dataDir, builtDir: await built('again'), id: 'b1' }),
      /releases\/b1 already exists\. Release ids must be unique; use activateRelease\(\) to roll back/,
    );
    await assert.rejects(deployRelease({ dataDir, builtDir: await built('x'), id: '../evil' }), /Release id "\.\.\/evil" is not usable as a folder name/);
    await assert.rejects(deployRelease({ dataDir, builtDir: join(root, 'missing'), id: 'b2' }), /the built site .*missing is not a folder/);
    const empty = join(root, 'empty');
    await mkdir(empty);
    await assert.rejects(deployRelease({ dataDir, builtDir: empty, id: 'b2' }), /has no index\.html, so it is not a finished build/);
    await assert.rejects(activateRelease(dataDir, 'b9'), /Release "b9" does not exist .*\(known releases: b1\)/);
    assert.equal(await served(), '<h1>b1</h1>', 'failed attempts changed nothing');
  });

  it('says so when current is a real folder instead of a symlink', async () => {
    await mkdir(join(dataDir, 'current'), { recursive: true });
    await writeFile(join(dataDir, 'current', 'index.html'), 'manual');
    await assert.rejects(deployRelease({ dataDir, builtDir: await built('b1'), id: 'b1' }), /it is a folder, not a symlink; move it away/);
    assert.equal(await currentRelease(dataDir), undefined);
  });

  it('reports no current release when current points at a release that is gone', async () => {
    await deployRelease({ dataDir, builtDir: await built('b1'), id: 'b1' });
    await rm(join(dataDir, 'releases', 'b1'), { recursive: true });
    assert.equal(await currentRelease(dataDir), undefined);
  });
});
