/**
 * A release's redirects over real HTTP: old URLs answer 301 to the new page (query kept, `index.html`
 * and a missing trailing slash too), the HTML redirect pages static hosting serves, and the 404 page
 * that offers the component's index and names a removed page.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveStatic } from '../../functions/core/http/serveStatic.ts';
import { writeRedirects } from '../../functions/core/redirects/redirectStore.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';

describe('serving a release with a redirects table', () => {
  let site: string;
  let server: Server;
  let base: string;

  before(async () => {
    site = await mkdtemp(join(tmpdir(), 'redirects-site-'));
    for (const [path, body] of Object.entries({
      'index.html': '<h1>home</h1>',
      '404.html': '<html><body><main><h1>404</h1></main></body></html>',
      'fc/index.html': '<h1>fc</h1>',
      'fc/new/index.html': '<h1>new</h1>',
      'en/fc/index.html': '<h1>fc en</h1>',
      'llms.txt': 'the real file',
    })) {
      await mkdir(join(site, path, '..'), { recursive: true });
      await writeFile(join(site, path), body);
    }
    await writeRedirects(site, {
      redirects: { '/fc/old/': '/fc/new/', '/fc/部署/': '/fc/new/', '/llms.txt/': '/fc/new/' },
      gone: { '/fc/removed/': { title: 'Removed <page>', component: 'fc' } },
      pages: {},
    });
    server = createServer(toNodeListener((request) => serveStatic(request, site)));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((done) => server.close(done));
    await rm(site, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(base + path, { redirect: 'manual' });

  it('answers 301 from old URLs, keeping the query string', async () => {
    for (const [path, location] of [
      ['/fc/old/', '/fc/new/'],
      ['/fc/old', '/fc/new/'],
      ['/fc/old/?x=1&y=2', '/fc/new/?x=1&y=2'],
      ['/fc/old?x=1', '/fc/new/?x=1'],
      ['/fc/%E9%83%A8%E7%BD%B2/', '/fc/new/'],
    ] as const) {
      const res = await get(path);
      assert.equal(res.status, 301, path);
      assert.equal(res.headers.get('location'), location, path);
    }
  });

  it('never redirects a file of the release (a stray table entry cannot hide it)', async () => {
    const res = await get('/llms.txt');
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'the real file');
  });

  it('writes an HTML redirect page at each old URL for static hosting: meta refresh, canonical, a link, no script', async () => {
    const html = await readFile(join(site, 'fc/old/index.html'), 'utf8');
    assert.match(html, /<meta http-equiv="refresh" content="0; url=\/fc\/new\/">/);
    assert.match(html, /<link rel="canonical" href="\/fc\/new\/">/);
    assert.match(html, /<a href="\/fc\/new\/">/);
    assert.doesNotMatch(html, /<script/i);
    assert.equal(await readFile(join(site, 'fc/new/index.html'), 'utf8'), '<h1>new</h1>', 'a file the build made is never overwritten');
  });

  it('a removed page’s 404 offers its component’s index and names it; other unknown URLs under a component link the index', async () => {
    const gone = await get('/fc/removed/');
    assert.equal(gone.status, 404);
    const body = await gone.text();
    assert.match(
      body,
      /<main><h1>404<\/h1><aside class="docs-sync-not-found" data-component="\/fc\/" data-title="Removed &#60;page&#62;"><p>页面“Removed &#60;page&#62;”已被移除。<\/p><p><a href="\/fc\/">前往该组件的首页<\/a>/,
    );
    assert.match(gone.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const english = await (await get('/en/fc/nothing/')).text();
    assert.match(english, /There is no page at this address\.<\/p><p><a href="\/en\/fc\/">Go to the component’s index<\/a>/);
    const outside = await get('/nowhere/at/all/');
    assert.equal(outside.status, 404);
    assert.doesNotMatch(await outside.text(), /docs-sync-not-found/);
  });
});
