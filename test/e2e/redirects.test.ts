/**
 * Pages that move keep their old URLs, end to end: the server (`scripts/start.ts`) builds a site from
 * the fake GitHub; a signed push renames one page (a removed and an added file with the same text),
 * removes another and declares an old URL in front matter (`aliases:`). The old URL answers 301 to the
 * new page (raw HTTP) and Chromium lands there; the alias redirects; the removed page's 404 offers its
 * component's index. After a later unrelated push the redirect still works.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { contentType } from '../../functions/core/http/serveStatic.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { postDelivery, pushPayload, signedDelivery, type PushCommitSpec } from '../support/signedDelivery.ts';
import { closeE2e, fakeGitHubServerEnv, startServerProcess, waitForBuild, waitForLatestBuild, type ServerProcess } from '../support/startServerProcess.ts';

const TOKEN = 'ghp_redirectsE2e0123456789';
const SECRET = 'whsec-redirects-e2e';
const INSTALL = `# Installing gadgets

Download the gadget package for your platform, unpack it into a folder of your choice and add that
folder to your PATH. Run \`gadget --version\` to check that the shell finds it. Gadgets need a
configuration file: \`gadget init\` writes one with the defaults, which you can edit later. 安装完成后即可使用。
`;

describe('end to end: pages that move keep their old URLs', () => {
  let dir: string;
  let gh: FakeGitHub;
  let server: ServerProcess;
  let browser: Browser;
  let head: string;

  /** Commit, deliver the signed push listing the changes, and wait for its build. */
  async function push(files: Record<string, string>, remove: string[], change: PushCommitSpec): Promise<any> {
    const sha = await gh.commit('acme', 'gadgets', { files, delete: remove, message: 'docs: reorganise' });
    const delivery = await signedDelivery(SECRET, 'push', pushPayload('acme/gadgets', 'main', { sha, before: head, commits: [change] }));
    head = sha;
    const ack = await postDelivery(`${server.url}/webhook`, delivery);
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    const build = await waitForBuild(server.url, ack.body.id);
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    return build;
  }

  const raw = (path: string) => fetch(`${server.url}${path}`, { redirect: 'manual' });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-redirects-'));
    gh = await startFakeGitHub({ token: TOKEN });
    head = await gh.createRepo('acme', 'gadgets', {
      'docs/readme.md': '# Gadgets\n\nGadgets do things.\n',
      'docs/install.md': INSTALL,
      'docs/retired.md': '# Retired feature\n\nThis feature is going away soon; nothing else says so.\n',
      'docs/usage.md': '# Usage\n\nRun the gadget.\n',
    });
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: gadgets\n    title: Gadgets\n    repo: acme/gadgets\n');
    server = await startServerProcess(fakeGitHubServerEnv(dir, gh.url, TOKEN, SECRET));
    browser = await launchBrowser();
  });

  after(() => closeE2e({ server, browser, gh, dir }));

  it('a renamed page’s old URL 301s to the new one, an alias redirects, a removed page’s 404 offers the index', async () => {
    const first = await waitForLatestBuild(server.url);
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
    assert.equal((await raw('/gadgets/install/')).status, 200);

    const build = await push(
      {
        'docs/guide/installing.md': INSTALL,
        'docs/usage.md': '---\ntitle: Usage\naliases: [/gadgets/how-to/run/, "https://elsewhere.example/x"]\n---\nRun the gadget.\n',
      },
      ['docs/install.md', 'docs/retired.md'],
      { added: ['docs/guide/installing.md'], removed: ['docs/install.md', 'docs/retired.md'], modified: ['docs/usage.md'] },
    );
    const diagnostics = build.sources[0].diagnostics.map((d: any) => `${d.file}: ${d.message}`);
    assert.ok(
      diagnostics.some((d: string) => /^docs\/usage\.md: Front matter alias "https:\/\/elsewhere\.example\/x" was ignored/.test(d)),
      diagnostics.join('\n'),
    );

    const moved = await raw('/gadgets/install/?from=bookmark');
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.get('location'), '/gadgets/guide/installing/?from=bookmark');
    const alias = await raw('/gadgets/how-to/run/');
    assert.equal(alias.status, 301);
    assert.equal(alias.headers.get('location'), '/gadgets/usage/');

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/gadgets/install/#configuration`);
    assert.equal(new URL(page.url()).pathname, '/gadgets/guide/installing/');
    assert.equal(new URL(page.url()).hash, '#configuration', 'the fragment survives the redirect');
    assert.equal(await page.locator('h1').first().innerText(), 'Installing gadgets');
    await page.goto(`${server.url}/gadgets/how-to/run`);
    assert.equal(new URL(page.url()).pathname, '/gadgets/usage/');

    const gone = await page.goto(`${server.url}/gadgets/retired/`);
    assert.equal(gone?.status(), 404);
    assert.match(await page.locator('.docs-sync-not-found').innerText(), /Retired feature/);
    // The note offers a search for the title: the site's search dialog opens with it.
    await page.locator('.docs-sync-not-found button.docs-sync-search').click();
    await page.locator('#starlight__search input').waitFor();
    assert.equal(await page.locator('#starlight__search input').inputValue(), 'Retired feature');
    assert.equal(await page.locator('site-search dialog').evaluate((d) => (d as HTMLDialogElement).open), true);
    await page.goto(`${server.url}/gadgets/retired/`);
    await page.locator('.docs-sync-not-found a').click();
    await page.waitForURL(`${server.url}/gadgets/`);
    assert.match(await page.locator('main').innerText(), /Gadgets do things/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('static hosting (files only, as OSS serves them): the redirect page and the 404 script do the same', async () => {
    const release = realpathSync(join(dir, 'data', 'current'));
    const files = createServer((req, res) => {
      const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
      const file = join(release, path, path.endsWith('/') ? 'index.html' : '');
      const found = file.startsWith(release) && existsSync(file) && statSync(file).isFile();
      res.writeHead(found ? 200 : 404, { 'content-type': contentType(found ? file : '404.html') });
      res.end(readFileSync(found ? file : join(release, '404.html')));
    });
    await new Promise<void>((done) => files.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    try {
      const moved = await fetch(`${base}/gadgets/install/`);
      assert.equal(moved.status, 200, 'a plain file on static hosting');
      assert.match(await moved.text(), /<link rel="canonical" href="\/gadgets\/guide\/installing\/">/);
      await page.goto(`${base}/gadgets/install/`);
      await page.waitForURL(`${base}/gadgets/guide/installing/`);
      assert.equal(await page.locator('h1').first().innerText(), 'Installing gadgets');
      await page.goto(`${base}/gadgets/retired/`);
      assert.match(await page.locator('.docs-sync-not-found').innerText(), /Retired feature/);
      assert.equal(await page.locator('.docs-sync-not-found a').getAttribute('href'), '/gadgets/');
      await page.locator('.docs-sync-not-found button.docs-sync-search').click();
      assert.equal(await page.locator('#starlight__search input').inputValue(), 'Retired feature');
      await page.goto(`${base}/nowhere/`);
      await page.waitForTimeout(300);
      assert.equal(await page.locator('.docs-sync-not-found').count(), 0, 'no component, no note');
      assert.deepEqual(
        problems.filter((p) => !/404/.test(p)),
        [],
      );
    } finally {
      await page.close();
      await new Promise((done) => files.close(done));
    }
  });

  it('keeps the redirects after a later unrelated build', async () => {
    await push({ 'docs/readme.md': '# Gadgets\n\nGadgets do many things.\n' }, [], { modified: ['docs/readme.md'] });
    assert.match(await (await raw('/gadgets/')).text(), /Gadgets do many things/);
    const moved = await raw('/gadgets/install/');
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.get('location'), '/gadgets/guide/installing/');
    assert.equal((await raw('/gadgets/how-to/run/')).headers.get('location'), '/gadgets/usage/');
    assert.match(await (await raw('/gadgets/retired/')).text(), /docs-sync-not-found[\s\S]*Retired feature/);
  });
});
