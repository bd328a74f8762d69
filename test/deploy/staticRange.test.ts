/**
 * HTTP Range requests on the site's static files, over real HTTP: `<video>` in docs and resumable
 * downloads need `206 Partial Content`. One range is answered 206; several ranges are answered with
 * the whole file (200, allowed by RFC 9110 §14.2); a range past the end is 416; If-Range is honoured.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveStatic } from '../../functions/core/http/serveStatic.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';
import { rawRequest } from '../support/rawHttp.ts';

/** Bytes that differ at every offset, so a shifted range cannot pass. */
function pattern(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + (i >> 8)) & 0xff;
  return b;
}

describe('Range requests on static files', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const small = pattern(3000);
  const large = pattern(3 * 1024 * 1024 + 17);
  let lastModified: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-range-'));
    await writeFile(join(dir, 'clip.mp4'), small);
    await writeFile(join(dir, 'big.zip'), large);
    await writeFile(join(dir, '404.html'), '<h1>not here</h1>');
    lastModified = new Date((await stat(join(dir, 'clip.mp4'))).mtimeMs).toUTCString();
    server = createServer(toNodeListener((request) => serveStatic(request, dir)));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((done) => server.close(done));
    await rm(dir, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') => rawRequest(base + path, { method, headers });

  it('says it accepts byte ranges and serves the whole file without a Range header', async () => {
    const r = await get('/clip.mp4');
    assert.equal(r.status, 200);
    assert.equal(r.headers['accept-ranges'], 'bytes');
    assert.deepEqual(r.bytes, small);
  });

  it('answers one range with 206, Content-Range and exactly those bytes', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-100', 100, 100],
      ['bytes=2990-', 2990, 2999],
      ['bytes=-5', 2995, 2999],
      ['bytes=-99999', 0, 2999],
      ['bytes=1000-999999', 1000, 2999],
      ['bytes = 10-19', 10, 19],
    ];
    for (const [range, first, last] of cases) {
      const r = await get('/clip.mp4', { range });
      assert.equal(r.status, 206, range);
      assert.equal(r.headers['content-range'], `bytes ${first}-${last}/3000`, range);
      assert.equal(r.headers['content-length'], String(last - first + 1), range);
      assert.equal(r.headers['content-type'], 'application/octet-stream', range);
      assert.deepEqual(r.bytes, small.subarray(first, last + 1), range);
    }
  });

  it('streams a range from the middle of a large file', async () => {
    const r = await get('/big.zip', { range: 'bytes=1000001-3000000' });
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-range'], `bytes 1000001-3000000/${large.length}`);
    assert.equal(r.bytes.length, 2_000_000);
    assert.ok(r.bytes.equals(large.subarray(1000001, 3000001)));
  });

  it('answers 416 with the size when no range can be satisfied', async () => {
    for (const range of ['bytes=3000-', 'bytes=5000-6000', 'bytes=-0']) {
      const r = await get('/clip.mp4', { range });
      assert.equal(r.status, 416, range);
      assert.equal(r.headers['content-range'], 'bytes */3000', range);
    }
  });

  it('answers several ranges with the whole file (200), and ignores a malformed Range', async () => {
    for (const range of ['bytes=0-1,5-6', 'bytes=0-1, -3', 'bytes=abc', 'items=0-5', 'bytes=9-3', 'bytes=', 'bytes=1-2-3', 'bytes=0x10-20']) {
      const r = await get('/clip.mp4', { range });
      assert.equal(r.status, 200, range);
      assert.equal(r.headers['content-range'], undefined, range);
      assert.deepEqual(r.bytes, small, range);
    }
  });

  it('honours If-Range: the current Last-Modified gets the range, anything else the whole file', async () => {
    const same = await get('/clip.mp4', { range: 'bytes=0-9', 'if-range': lastModified });
    assert.equal(same.status, 206);
    assert.deepEqual(same.bytes, small.subarray(0, 10));
    const older = await get('/clip.mp4', { range: 'bytes=0-9', 'if-range': new Date(Date.parse(lastModified) - 60_000).toUTCString() });
    assert.equal(older.status, 200);
    assert.deepEqual(older.bytes, small);
    // The ETag is weak, and If-Range compares strongly: a weak tag never matches (RFC 9110 §13.1.5).
    const etag = String((await get('/clip.mp4')).headers.etag);
    const tagged = await get('/clip.mp4', { range: 'bytes=0-9', 'if-range': etag });
    assert.equal(tagged.status, 200);
    assert.deepEqual(tagged.bytes, small);
  });

  it('answers HEAD with a range with the 206 headers and no body', async () => {
    const r = await get('/clip.mp4', { range: 'bytes=10-19' }, 'HEAD');
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-range'], 'bytes 10-19/3000');
    assert.equal(r.headers['content-length'], '10');
    assert.equal(r.bytes.length, 0);
  });

  it('does not apply ranges to the 404 page, and a matching If-None-Match still wins with 304', async () => {
    const missing = await get('/nope.mp4', { range: 'bytes=0-1' });
    assert.equal(missing.status, 404);
    assert.equal(missing.text, '<h1>not here</h1>');
    const etag = String((await get('/clip.mp4')).headers.etag);
    assert.equal((await get('/clip.mp4', { range: 'bytes=0-1', 'if-none-match': etag })).status, 304);
  });
});
