/**
 * Versions of a source's docs, end to end: the server (`scripts/start.ts`) builds a source with
 * `versions: { tags: 'v*', newest: 2 }` from the fake GitHub, which has tags v1.8, v1.9, v1.10 and
 * nightly: three trees (the default branch at /gadgets/, v1.10 and v1.9 under /gadgets/<tag>/; v1.8 is
 * the third newest, nightly does not match), links within each version, the banner on old versions,
 * the switcher going to the same page in another version in Chromium. A push to the default branch
 * rebuilds only the latest; a pushed new tag adds its version, and the one falling out of `newest` is gone.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';
import { closeE2e, fakeGitHubServerEnv, startServerProcess, waitForBuild, waitForLatestBuild, type ServerProcess } from '../support/startServerProcess.ts';

const TOKEN = 'ghp_versionsE2e0123456789';
const SECRET = 'whsec-versions-e2e';
const ZERO = '0'.repeat(40);
const SOURCES = `site:
  languages: [{ code: en }]
  defaultLanguage: en
sources:
  - id: gadgets
    title: Gadgets
    repo: acme/gadgets
    versions: { tags: 'v*', newest: 2 }
`;

/** A word only each version's pages have, to search for. */
const CODENAME: Record<string, string> = { '1.8': 'alpaca', '1.9': 'bison', '1.10': 'camel', '2-dev': 'dingo' };
const docs = (v: string): Record<string, string> => ({
  'docs/readme.md': `# Gadgets\n\nGadgets ${v} do things. Codename ${CODENAME[v]}.\n`,
  'docs/install.md': `# Installing\n\nInstall gadgets ${v}.\n`,
  'docs/guide.md': `# Guide\n\nFirst [install](install.md) gadgets ${v}.\n`,
});

describe('end to end: versions of a source', () => {
  let dir: string;
  let gh: FakeGitHub;
  let server: ServerProcess;
  let browser: Browser;
  let head: string;

  const raw = (path: string) => fetch(`${server.url}${path}`, { redirect: 'manual' });
  const text = async (path: string): Promise<string> => {
    const res = await raw(path);
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return res.text();
  };

  async function deliver(payload: Record<string, any>): Promise<any> {
    const ack = await postDelivery(`${server.url}/webhook`, await signedDelivery(SECRET, 'push', payload));
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    assert.equal(ack.body.skipped, undefined, JSON.stringify(ack.body));
    const build = await waitForBuild(server.url, ack.body.id);
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    return build;
  }
  const outcomes = (build: any): Record<string, boolean> => Object.fromEntries(build.sources.map((s: any) => [s.id, s.fetched]));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-versions-'));
    gh = await startFakeGitHub({ token: TOKEN });
    await gh.createRepo('acme', 'gadgets', docs('1.8'));
    const repo = gh.repo('acme', 'gadgets');
    await repo.tag('v1.8');
    await gh.commit('acme', 'gadgets', { files: docs('1.9') });
    await repo.tag('v1.9');
    await repo.tag('nightly');
    await gh.commit('acme', 'gadgets', { files: docs('1.10') });
    await repo.tag('v1.10');
    head = await gh.commit('acme', 'gadgets', { files: { ...docs('2-dev'), 'docs/new-feature.md': '# New feature\n\nOnly in the latest.\n' } });
    writeFileSync(join(dir, 'sources.yaml'), SOURCES);
    server = await startServerProcess(fakeGitHubServerEnv(dir, gh.url, TOKEN, SECRET));
    browser = await launchBrowser();
  });

  after(() => closeE2e({ server, browser, gh, dir }));

  it('builds three trees: latest at the source’s URLs, the two newest tags under /<source>/<tag>/', async () => {
    const first = await waitForLatestBuild(server.url);
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
    assert.deepEqual(
      first.sources.map((s: any) => s.id),
      ['gadgets', 'gadgets/v1.10', 'gadgets/v1.9'],
    );
    assert.match(await text('/gadgets/install/'), /Install gadgets 2-dev\./);
    assert.match(await text('/gadgets/v1.10/install/'), /Install gadgets 1\.10\./);
    const old = await text('/gadgets/v1.9/guide/');
    assert.match(old, /First <a href="\/gadgets\/v1\.9\/install\/">install<\/a> gadgets 1\.9\./, 'a link inside v1.9 stays in v1.9');
    assert.equal((await raw('/gadgets/v1.8/install/')).status, 404, 'v1.8 is not among the newest 2');
    assert.equal((await raw('/gadgets/nightly/install/')).status, 404, 'nightly does not match v*');

    // The banner on old versions only, pointing at the same page in the latest.
    assert.match(old, /You are reading v1\.9\. The latest version is here: <a href="\/gadgets\/guide\/">Guide<\/a>/);
    assert.doesNotMatch(await text('/gadgets/guide/'), /You are reading/);
    // One component on the home page and in llms.txt: the old versions are reached through the switcher.
    const llms = await text('/llms.txt');
    assert.match(llms, /\/gadgets\/install\/index\.md/);
    assert.doesNotMatch(llms, /v1\.(9|10)/);
  });

  it('the switcher goes to the same page in another version, or to its index (Chromium)', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await page.goto(`${server.url}/gadgets/v1.9/install/`);
      const switcher = page.locator('.ds-versions').first();
      assert.match(await switcher.locator('summary').innerText(), /Version:\s*v1\.9/);
      assert.deepEqual(
        (await switcher.locator('a').allTextContents()).map((t) => t.trim()),
        ['latest', 'v1.10', 'v1.9'],
      );
      await switcher.locator('summary').click();
      await switcher.locator('a', { hasText: 'v1.10' }).click();
      await page.waitForURL(`${server.url}/gadgets/v1.10/install/`);
      assert.match(await page.locator('main').innerText(), /Install gadgets 1\.10\./);
      assert.match(await page.locator('.sl-banner').innerText(), /You are reading v1\.10/);

      const latest = page.locator('.ds-versions').first();
      await latest.locator('summary').click();
      await latest.locator('a', { hasText: 'latest' }).click();
      await page.waitForURL(`${server.url}/gadgets/install/`);
      assert.equal(await page.locator('.sl-banner').count(), 0);

      // A page only the latest has: the old versions' entries lead to their index.
      await page.goto(`${server.url}/gadgets/new-feature/`);
      const here = page.locator('.ds-versions').first();
      await here.locator('summary').click();
      await here.locator('a', { hasText: 'v1.9' }).click();
      await page.waitForURL(`${server.url}/gadgets/v1.9/`);
      assert.match(await page.locator('main').innerText(), /Gadgets 1\.9 do things/);

      // The site's search covers the latest only: an old version's word finds nothing.
      await page.goto(`${server.url}/gadgets/`);
      await page.waitForLoadState('networkidle');
      await page.locator('button[data-open-modal]').click();
      const input = page.locator('#starlight__search .pagefind-ui__search-input');
      await input.fill('dingo');
      assert.equal(await page.locator('#starlight__search .pagefind-ui__result-link').first().getAttribute('href'), '/gadgets/');
      await input.fill('bison');
      await page.locator('#starlight__search .pagefind-ui__message', { hasText: 'bison' }).waitFor();
      assert.match(await page.locator('#starlight__search .pagefind-ui__message').innerText(), /No results for bison/);
      assert.equal(await page.locator('#starlight__search .pagefind-ui__result-link').count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it('a push to the default branch rebuilds only the latest', async () => {
    const since = gh.requests.length;
    const sha = await gh.commit('acme', 'gadgets', { files: { 'docs/install.md': '# Installing\n\nInstall gadgets 2.0 now.\n' } });
    const build = await deliver(pushPayload('acme/gadgets', 'main', { sha, before: head, commits: [{ modified: ['docs/install.md'] }] }));
    head = sha;
    assert.deepEqual(outcomes(build), { gadgets: true, 'gadgets/v1.10': false, 'gadgets/v1.9': false });
    const asked = gh.requests.slice(since).map((r) => r.path);
    assert.deepEqual(
      asked.filter((p) => /v1\.|matching-refs/.test(p)),
      [],
      `no request for the old versions: ${asked.join(', ')}`,
    );
    assert.match(await text('/gadgets/install/'), /Install gadgets 2\.0 now\./);
    assert.match(await text('/gadgets/v1.10/install/'), /Install gadgets 1\.10\./);
    const rendered = /\[site\] \d+ pages: (\d+) to render/g;
    const counts = [...server.output().matchAll(rendered)].map((m) => Number(m[1]));
    assert.ok(counts.at(-1)! <= 3, `only the changed page (and the home pages) rendered: ${counts.join(', ')}`);
  });

  it('a pushed new tag adds its version; the one falling out of `newest` is removed', async () => {
    const sha = await gh.repo('acme', 'gadgets').tag('v2.0');
    const build = await deliver(pushPayload('acme/gadgets', 'main', { tag: 'v2.0', sha, before: ZERO }));
    assert.deepEqual(outcomes(build), { gadgets: false, 'gadgets/v2.0': true, 'gadgets/v1.10': false });
    assert.match(await text('/gadgets/v2.0/install/'), /Install gadgets 2\.0 now\./);
    const gone = await raw('/gadgets/v1.9/install/');
    assert.equal(gone.status, 404);
    assert.match(await gone.text(), /docs-sync-not-found[\s\S]*href="\/gadgets\/"/, 'the 404 links the component');
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/gadgets/install/`);
      assert.deepEqual(
        (await page.locator('.ds-versions').first().locator('a').allTextContents()).map((t) => t.trim()),
        ['latest', 'v2.0', 'v1.10'],
      );
    } finally {
      await page.close();
    }
  });
});
