import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { currentRelease, deployRelease } from '../../functions/core/deploy/deployRelease.ts';
import { serveStatic } from '../../functions/core/http/serveStatic.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Send a request with the path exactly as given (no client-side normalisation of "..", "%2f" …). */
function send(port: number, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(handler: (request: Request) => Promise<Response>): Promise<{ server: Server; port: number }> {
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, port: (server.address() as AddressInfo).port };
}

const close = (server: Server): Promise<unknown> => new Promise((done) => server.close(done));

describe('serveStatic over node:http', () => {
  let dir: string;
  let site: string;
  let server: Server;
  let port: number;
  const files: Record<string, string> = {
    'index.html': '<h1>home</h1>',
    '404.html': '<h1>not here</h1>',
    'fc/index.html': '<h1>fc</h1>',
    'fc/部署/index.html': '<h1>部署</h1>',
    '_astro/page.Ab12Cd.js': 'export {}',
    '_astro/common.Xy9.css': 'body{}',
    'favicon.svg': '<svg/>',
    'fonts/x.woff2': 'w',
    'pagefind/pagefind.js': 'pf',
    'pagefind/wasm.en.pagefind': 'wasm',
    'pagefind/fragment/en_1.pf_fragment': 'frag',
    'pagefind/pagefind-entry.json': '{}',
    'a.wasm': 'wasm',
    'img/p.png': 'png',
    'data.bin': 'bytes',
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-static-'));
    site = join(dir, 'site');
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(site, name, '..'), { recursive: true });
      await writeFile(join(site, name), text);
    }
    await writeFile(join(dir, 'secret.txt'), 'TOP SECRET');
    await writeFile(join(site, '.hidden'), 'TOP SECRET');
    ({ server, port } = await listen((request) => serveStatic(request, site)));
  });
  after(async () => {
    await close(server);
    await rm(dir, { recursive: true, force: true });
  });

  it('serves folders as their index.html with html caching rules and an ETag', async () => {
    const home = await send(port, '/');
    assert.equal(home.status, 200);
    assert.equal(home.body, '<h1>home</h1>');
    assert.equal(home.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(home.headers['cache-control'], 'no-cache');
    assert.equal(home.headers['content-length'], String(files['index.html']!.length));
    assert.match(String(home.headers.etag), /^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    assert.equal((await send(port, '/fc/')).body, '<h1>fc</h1>');
  });

  it('redirects a folder without its trailing slash (301), keeping the query', async () => {
    const r = await send(port, '/fc?x=1');
    assert.equal(r.status, 301);
    assert.equal(r.headers.location, '/fc/?x=1');
    const doubled = await serveStatic(new Request('http://x//fc'), site);
    assert.equal(doubled.headers.get('location'), '/fc/', 'never a protocol-relative redirect');
  });

  it('serves percent-encoded Chinese paths', async () => {
    const r = await send(port, `/fc/${encodeURIComponent('部署')}/`);
    assert.equal(r.status, 200);
    assert.equal(r.body, '<h1>部署</h1>');
  });

  it('sends the right content type for each kind of file, and marks hashed /_astro/ files immutable', async () => {
    const expect: Record<string, string> = {
      '/_astro/page.Ab12Cd.js': 'text/javascript; charset=utf-8',
      '/_astro/common.Xy9.css': 'text/css; charset=utf-8',
      '/favicon.svg': 'image/svg+xml',
      '/fonts/x.woff2': 'font/woff2',
      '/pagefind/pagefind.js': 'text/javascript; charset=utf-8',
      '/pagefind/wasm.en.pagefind': 'application/octet-stream',
      '/pagefind/fragment/en_1.pf_fragment': 'application/octet-stream',
      '/pagefind/pagefind-entry.json': 'application/json; charset=utf-8',
      '/a.wasm': 'application/wasm',
      '/img/p.png': 'image/png',
      '/data.bin': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(expect)) {
      const r = await send(port, path);
      assert.equal(r.status, 200, path);
      assert.equal(r.headers['content-type'], type, path);
      assert.equal(r.body, files[path.slice(1)], path);
    }
    assert.equal((await send(port, '/_astro/page.Ab12Cd.js')).headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal((await send(port, '/pagefind/pagefind.js')).headers['cache-control'], 'no-cache', 'unhashed names must revalidate');
  });

  it('answers a missing page with the site 404.html and status 404', async () => {
    for (const path of ['/nope/', '/fc/nope', '/favicon.svg/']) {
      const r = await send(port, path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body, '<h1>not here</h1>', path);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    }
  });

  it('refuses traversal, encoded separators, NUL and hidden files', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/fc/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/fc%2F..%2F..%2Fsecret.txt',
      '/index.html%00.png',
      '/.hidden',
      '/%2ehidden',
      '/%E0%A4%A',
    ];
    for (const path of attempts) {
      const r = await send(port, path);
      assert.ok(r.status === 400 || r.status === 404, `${path} → ${r.status}`);
      assert.doesNotMatch(r.body, /TOP SECRET/, path);
    }
    assert.equal((await send(port, '/fc%2Fx')).status, 400);
    assert.equal((await send(port, '/.hidden')).status, 400);
  });

  it('answers HEAD with the headers and no body', async () => {
    const r = await send(port, `/fc/${encodeURIComponent('部署')}/`, 'HEAD');
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['content-length'], String(Buffer.byteLength('<h1>部署</h1>')));
    assert.equal((await send(port, '/nope/', 'HEAD')).status, 404);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await send(port, '/favicon.svg');
    const again = await send(port, '/favicon.svg', 'GET', { 'if-none-match': String(first.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    assert.equal((await send(port, '/favicon.svg', 'GET', { 'if-none-match': 'W/"other"' })).status, 200);
  });

  it('allows only GET and HEAD', async () => {
    const r = await send(port, '/', 'POST');
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'GET, HEAD');
  });

  it('falls back to a plain 404 when the release has no 404.html', async () => {
    const bare = join(dir, 'bare');
    await mkdir(bare);
    const r = await serveStatic(new Request('http://x/missing/'), bare);
    assert.equal(r.status, 404);
    assert.equal(await r.text(), 'Not found\n');
  });
});

describe('serving the current release', () => {
  it('follows a deploy switch on the next request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docs-sync-serve-current-'));
    const dataDir = join(dir, 'data');
    const build = async (id: string): Promise<string> => {
      const out = join(dir, `out-${id}`);
      await mkdir(out, { recursive: true });
      await writeFile(join(out, 'index.html'), `<h1>${id}</h1>`);
      return out;
    };
    const { server, port } = await listen(async (request) => {
      const current = await currentRelease(dataDir);
      return current ? serveStatic(request, current.path) : new Response('none', { status: 503 });
    });
    try {
      assert.equal((await send(port, '/')).status, 503);
      await deployRelease({ dataDir, builtDir: await build('r1'), id: 'r1' });
      assert.equal((await send(port, '/')).body, '<h1>r1</h1>');
      await deployRelease({ dataDir, builtDir: await build('r2'), id: 'r2' });
      assert.equal((await send(port, '/')).body, '<h1>r2</h1>');
    } finally {
      await close(server);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
