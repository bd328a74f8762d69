/**
 * A reader who aborts a download must not leave anything open on the server: the file handle behind
 * a static file, or whatever stream produces a response body, is closed as soon as the connection
 * goes. Checked over real HTTP by counting the process's descriptors on the file (/proc/self/fd) and
 * with a body that records its own cancellation.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveStatic } from '../../functions/core/http/serveStatic.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';

async function listen(handler: (request: Request) => Promise<Response>): Promise<{ server: Server; url: string }> {
  const server = createServer(toNodeListener(handler, () => {}));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Start a download, take its first bytes, then drop the connection as a reader closing the tab does. */
function abortAfterFirstChunk(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.once('data', (chunk: Buffer) => {
        req.destroy();
        resolve(chunk.length);
      });
    });
    req.on('error', (err) => {
      if (!req.destroyed) reject(err);
    });
    req.end();
  });
}

/** How many of this process's descriptors are open on `path`. */
async function openDescriptors(path: string): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    if ((await readlink(`/proc/self/fd/${fd}`).catch(() => '')) === path) n++;
  }
  return n;
}

async function waitFor(check: () => Promise<boolean> | boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(25);
  }
  return check();
}

describe('aborted downloads', () => {
  const servers: Server[] = [];
  let dir: string | undefined;
  after(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('closes the file handle when the reader aborts mid-download', { skip: !existsSync('/proc/self/fd') && 'needs /proc' }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-abort-'));
    const file = join(dir, 'big.zip');
    await writeFile(file, Buffer.alloc(8 * 1024 * 1024, 7));
    // A handle left open is closed by the garbage collector at some point, with this warning: that
    // counts as a leak too (it may take minutes, and Node will make it an error).
    const collected: string[] = [];
    const onWarning = (w: Error & { code?: string }): void => {
      if (w.code === 'DEP0137' || /file descriptor .* garbage collection/.test(w.message)) collected.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      const { server, url } = await listen((request) => serveStatic(request, dir!));
      servers.push(server);
      for (let i = 0; i < 3; i++) assert.ok((await abortAfterFirstChunk(`${url}/big.zip`)) > 0);
      assert.ok(
        await waitFor(async () => (await openDescriptors(file)) === 0),
        `${await openDescriptors(file)} descriptor(s) still open on the file after the readers left`,
      );
      await sleep(50);
      assert.deepEqual(collected, [], 'handles are closed when the reader leaves, not by the garbage collector');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('cancels a streamed response body when the reader aborts', async () => {
    let cancelled = 0;
    let pulled = 0;
    const { server, url } = await listen(async () => {
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
        cancel() {
          cancelled++;
        },
      });
      return new Response(body, { headers: { 'content-type': 'application/octet-stream' } });
    });
    servers.push(server);
    await abortAfterFirstChunk(`${url}/endless`);
    assert.ok(await waitFor(() => cancelled === 1), `the body was not cancelled (pulled ${pulled} chunks)`);
    const pulledAtCancel = pulled;
    await sleep(200);
    assert.ok(pulled <= pulledAtCancel + 1, 'nothing is read after the reader left');
  });
});
