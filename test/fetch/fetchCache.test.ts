import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openFetchCache } from '../../functions/core/fetch/fetchCache.ts';
import { gitBlobSha } from '../../functions/core/fetch/gitHubReader.ts';
import type { SourceConfig } from '../../functions/core/types.ts';

const FC: SourceConfig = { id: 'fc', title: 'FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] };

describe('openFetchCache', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fetch-cache-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('blobs are stored by git sha (blobs/ab/cdef…), checked on the way in and out', async () => {
    const cache = await openFetchCache(dir);
    const content = Buffer.from('# 部署\n');
    const sha = gitBlobSha(content);
    await cache.writeBlob(sha, content);
    assert.deepEqual(await readFile(join(dir, 'blobs', sha.slice(0, 2), sha.slice(2))), content);
    assert.deepEqual(await cache.readBlob(sha), content);

    await cache.writeBlob(gitBlobSha(Buffer.from('other')), content); // content that does not match its sha is refused
    assert.equal(await cache.readBlob(gitBlobSha(Buffer.from('other'))), undefined);

    await writeFile(join(dir, 'blobs', sha.slice(0, 2), sha.slice(2)), '# damaged\n');
    assert.equal(await cache.readBlob(sha), undefined, 'a damaged blob is a miss');
    await assert.rejects(stat(join(dir, 'blobs', sha.slice(0, 2), sha.slice(2))), 'and is removed');
    assert.equal(await cache.readBlob('../../etc/passwd'), undefined);
  });

  test('manifests and validators survive a restart; a manifest is only for the same repo, ref and folders', async () => {
    const cache = await openFetchCache(dir);
    const manifest = { sha: 'a'.repeat(40), ref: 'main', files: [{ path: 'docs/a.md', blob: 'b'.repeat(40) }], skipped: [] };
    await cache.setManifest(FC, manifest);
    cache.set('GET /repos/devsapp/fc', { etag: 'W/"abc"', value: 'main' });
    await cache.save();
    const reopened = await openFetchCache(dir);
    assert.deepEqual(await reopened.manifest(FC), manifest);
    assert.deepEqual(reopened.get('GET /repos/devsapp/fc'), { etag: 'W/"abc"', value: 'main' });
    assert.equal(await reopened.manifest({ ...FC, paths: ['doc'] }), undefined);
    assert.equal(await reopened.manifest({ ...FC, ref: 'v2' }), undefined);
  });

  test('save drops blobs no manifest uses once they are an hour old', async () => {
    const cache = await openFetchCache(dir);
    const used = Buffer.from('used\n');
    const unused = Buffer.from('unused\n');
    const fresh = Buffer.from('fresh\n');
    for (const b of [used, unused, fresh]) await cache.writeBlob(gitBlobSha(b), b);
    await cache.setManifest(FC, { sha: 'a'.repeat(40), ref: 'main', files: [{ path: 'docs/a.md', blob: gitBlobSha(used) }], skipped: [] });
    const old = new Date(Date.now() - 2 * 3_600_000);
    for (const b of [used, unused]) await utimes(join(dir, 'blobs', gitBlobSha(b).slice(0, 2), gitBlobSha(b).slice(2)), old, old);
    await cache.save();
    assert.deepEqual(await cache.readBlob(gitBlobSha(used)), used);
    assert.equal(await cache.readBlob(gitBlobSha(unused)), undefined);
    assert.deepEqual(await cache.readBlob(gitBlobSha(fresh)), fresh, 'a blob written within the hour may belong to a fetch still running');
  });
});
