import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fetchLocalSource } from '../../functions/core/fetch/fetchLocalSource.ts';
import type { SourceConfig } from '../../functions/core/types.ts';

const text = (files: Array<{ path: string; content: Uint8Array }>): Record<string, string> =>
  Object.fromEntries(files.map((f) => [f.path, new TextDecoder().decode(f.content)]));

describe('fetchLocalSource', () => {
  let dir: string;
  let site: string;
  const source = (paths: string[], localPath = site): SourceConfig => ({ id: 'guide', title: 'Guide', localPath, paths });
  const put = async (rel: string, content: string | Buffer): Promise<void> => {
    await mkdir(dirname(join(site, rel)), { recursive: true });
    await writeFile(join(site, rel), content);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-source-'));
    site = join(dir, 'site');
    await put('README.md', '# Guide\n');
    await put('docs/index.md', '# 首页\n');
    await put('docs/使用/安装.md', '# 安装\n');
    await put('docs/notes.markdown', '# Notes\n');
    await put('docs/logo.svg', '<svg/>');
    await put('docs/node_modules/pkg/readme.md', '# dependency\n');
    await put('other/a.md', '# other\n');
    await writeFile(join(dir, 'secret.md'), 'outside the folder');
    await mkdir(join(dir, 'outside-dir'));
    await writeFile(join(dir, 'outside-dir', 'x.md'), 'outside the folder');
    await symlink(join(dir, 'secret.md'), join(site, 'docs', 'leak.md'));
    await symlink(join(dir, 'outside-dir'), join(site, 'docs', 'linked'));
    await symlink(join(site, 'other'), join(site, 'docs-link'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('reads markdown under the docs folders, relative to the folder, never through symlinks', async () => {
    const got = await fetchLocalSource(source(['docs']));
    assert.equal(got.ref, 'local');
    assert.match(got.sha, /^[0-9a-f]{12}$/);
    assert.deepEqual(text(got.files), { 'docs/index.md': '# 首页\n', 'docs/notes.markdown': '# Notes\n', 'docs/使用/安装.md': '# 安装\n' });
    assert.deepEqual(
      got.skipped.map((s) => [s.path, s.reason]),
      [['docs/leak.md', 'symbolic link: not followed']],
    );
    assert.ok(!JSON.stringify(text(got.files)).includes('outside the folder'));
  });

  test('"." reads the whole folder; overlapping folders give each file once', async () => {
    const got = await fetchLocalSource(source(['.', 'docs']));
    assert.deepEqual(Object.keys(text(got.files)), ['README.md', 'docs/index.md', 'docs/notes.markdown', 'docs/使用/安装.md', 'other/a.md']);
  });

  test('the digest is stable and changes when a path or content changes', async () => {
    const a = await fetchLocalSource(source(['docs']));
    assert.equal((await fetchLocalSource(source(['docs']))).sha, a.sha);
    await put('docs/index.md', '# 首页 v2\n');
    const b = await fetchLocalSource(source(['docs']));
    assert.notEqual(b.sha, a.sha);
    await put('docs/index.md', '# 首页\n');
    assert.equal((await fetchLocalSource(source(['docs']))).sha, a.sha);
  });

  test('a missing folder, or a docs folder that is a symlink, is an error naming the fix', async () => {
    await assert.rejects(fetchLocalSource(source(['docs'], join(dir, 'nope'))), /local source "guide": folder .*nope does not exist — fix `path`/);
    await assert.rejects(fetchLocalSource(source(['guides'])), /folder "guides" in .* does not exist — fix `paths` of source "guide"/);
    await assert.rejects(fetchLocalSource(source(['docs-link'])), /folder "docs-link" .* is a symbolic link \(not followed\)/);
  });

  test('files over the size limit are skipped and reported', async () => {
    const got = await fetchLocalSource(source(['docs']), { maxFileBytes: 8 });
    assert.deepEqual(Object.keys(text(got.files)), ['docs/notes.markdown']);
    assert.deepEqual(
      got.skipped.map((s) => s.path),
      ['docs/index.md', 'docs/leak.md', 'docs/使用/安装.md'],
    );
    assert.match(got.skipped[0]!.reason, /^9 bytes is over the 8 bytes limit/);
  });
});
