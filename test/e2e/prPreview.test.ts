/**
 * PR previews and commit statuses end to end (issue "Previews and checks", its Tests paragraph): the
 * server as `npm start` runs it, the fake GitHub with real git repositories, pull requests and the
 * statuses API, signed `pull_request` deliveries. A PR on fc edits a page, renames another and removes
 * a heading that ops links to: the preview serves the new text under its banner while the live site is
 * unchanged; the status goes pending → failure naming the broken inbound link, and its target opens
 * the preview in Chromium. A fix pushed to the PR turns it success; closing the PR removes the preview.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { rawRequest } from '../support/rawHttp.ts';
import { postDelivery, pullRequestPayload, signedDelivery } from '../support/signedDelivery.ts';
import { closeE2e, fakeGitHubServerEnv, startServerProcess, waitForBuild, waitForLatestBuild, type ServerProcess } from '../support/startServerProcess.ts';

const TOKEN = 'ghp_prPreviewE2e0123456789';
const SECRET = 'whsec-pr-preview-e2e';
const SETUP = '# Setup\n\n## Install\n\nRun the installer.\n\n## Configure\n\nEdit the file.\n';

describe('end to end: a pull request gets a preview of the whole site and a commit status', () => {
  let dir: string;
  let gh: FakeGitHub;
  let server: ServerProcess;
  let browser: Browser;
  let number: number;

  /** Deliver the PR's current state as `action`, signed, and wait for the build it queued. */
  async function deliver(action: string, before?: string): Promise<any> {
    const pr = await gh.pullRequest('acme', 'fc', number);
    const payload = pullRequestPayload(action, pr, before ? { before } : {});
    const ack = await postDelivery(`${server.url}/webhook`, await signedDelivery(SECRET, 'pull_request', payload));
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    assert.ok(ack.body.id, `a build was queued: ${JSON.stringify(ack.body)}`);
    const build = await waitForBuild(server.url, ack.body.id);
    assert.equal(build.trigger.kind, 'preview');
    return build;
  }

  /** The statuses of `sha` on acme/fc, once the last one is final (they are set after the build, in the background). */
  async function statuses(sha: string): Promise<Array<{ state: string; description: string | null; target_url: string | null; context: string }>> {
    for (let i = 0; i < 100; i++) {
      const all = gh.statuses.of('acme', 'fc', sha);
      if (all.length && all.at(-1)!.state !== 'pending') return all;
      await new Promise((r) => setTimeout(r, 100));
    }
    return gh.statuses.of('acme', 'fc', sha);
  }

  /** A page of a preview over real HTTP: its host name picks the preview (Node does not resolve *.localhost). */
  const previewGet = (previewUrl: string, path: string) =>
    rawRequest(`${server.url}${path}`, { method: 'GET', headers: { host: `${new URL(previewUrl).hostname}:${new URL(server.url).port}` } });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-pr-preview-'));
    gh = await startFakeGitHub({ token: TOKEN });
    await gh.createRepo('acme', 'fc', {
      'docs/readme.md': '# Functions\n\nThe live introduction.\n',
      'docs/setup.md': SETUP,
      'docs/guide.md': '# Guide\n\nHow to use functions.\n',
    });
    await gh.createRepo('acme', 'ops', { 'docs/readme.md': '# Ops\n\nFirst [install functions](/fc/setup/#install).\n' });
    writeFileSync(
      join(dir, 'sources.yaml'),
      'sources:\n  - id: fc\n    title: Functions\n    repo: acme/fc\n  - id: ops\n    title: Ops\n    repo: acme/ops\n',
    );
    server = await startServerProcess({
      ...fakeGitHubServerEnv(dir, gh.url, TOKEN, SECRET),
      RECONCILE_EVERY: '0',
    });
    browser = await launchBrowser();
  });

  after(() => closeE2e({ server, browser, gh, dir }));

  it('previews the PR, fails its status on a broken inbound link, succeeds after the fix, and goes away on close', async () => {
    const first = await waitForLatestBuild(server.url);
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
    const liveBefore = await (await fetch(`${server.url}/fc/`)).text();
    assert.match(liveBefore, /The live introduction\./);

    // The PR: edit the introduction, rename the guide, drop the heading ops links to.
    await gh.commit('acme', 'fc', {
      branch: 'reword',
      files: {
        'docs/readme.md': '# Functions\n\nThe reworded introduction.\n',
        'docs/handbook.md': '# Guide\n\nHow to use functions.\n',
        'docs/setup.md': '# Setup\n\n## Configure\n\nEdit the file.\n',
      },
      delete: ['docs/guide.md'],
      message: 'docs: reword',
    });
    number = await gh.openPullRequest('acme', 'fc', { head: 'reword', title: 'Reword the introduction' });
    const opened = await deliver('opened');
    assert.equal(opened.state, 'succeeded', JSON.stringify(opened.error));
    const head1 = (await gh.pullRequest('acme', 'fc', number)).head.sha as string;
    assert.deepEqual(
      opened.inboundBroken?.map((b: any) => `${b.from.source}:${b.from.file} → ${b.to.url} (${b.because})`),
      ['ops:docs/readme.md → /fc/setup/#install (anchor removed)'],
    );

    const set = await statuses(head1);
    assert.deepEqual(
      set.map((s) => s.state),
      ['pending', 'failure'],
    );
    assert.ok(set.every((s) => s.context === 'docs-sync/preview'));
    const failure = set.at(-1)!;
    assert.match(failure.description ?? '', /inbound link broken/);
    assert.match(failure.description ?? '', /\/fc\/setup\/#install/);
    assert.equal(failure.target_url, opened.preview.url);

    // The preview serves the PR's text (noindex); the live site is unchanged.
    const previewed = await previewGet(opened.preview.url, '/fc/');
    assert.equal(previewed.status, 200);
    assert.match(previewed.text, /The reworded introduction\./);
    assert.match(previewed.text, /<meta name="robots" content="noindex">/);
    assert.equal(await (await fetch(`${server.url}/fc/`)).text(), liveBefore, 'the live site is untouched by the preview');
    assert.equal((await fetch(`${server.url}/fc/handbook/`)).status, 404, 'the renamed page is not live');

    // The status's target opens the preview in Chromium, under the banner naming the PR and its head.
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${failure.target_url}/fc/`);
    assert.match(await page.locator('main').innerText(), /The reworded introduction\./);
    const banner = await page.locator('text=Reword the introduction').first().innerText();
    assert.ok(banner.length > 0);
    assert.match(await page.content(), new RegExp(`#${number}`));
    assert.match(await page.content(), new RegExp(head1.slice(0, 7)));
    await page.goto(`${failure.target_url}/fc/handbook/`);
    assert.match(await page.locator('h1').first().innerText(), /Guide/);
    assert.deepEqual(errors, []);

    // A fix pushed to the PR restores the heading: success, same preview URL.
    await gh.commit('acme', 'fc', { branch: 'reword', files: { 'docs/setup.md': SETUP }, message: 'docs: keep the install heading' });
    const fixed = await deliver('synchronize', head1);
    assert.equal(fixed.state, 'succeeded', JSON.stringify(fixed.error));
    assert.equal(fixed.inboundBroken, undefined);
    assert.equal(fixed.preview.url, opened.preview.url);
    const head2 = (await gh.pullRequest('acme', 'fc', number)).head.sha as string;
    const after = await statuses(head2);
    assert.equal(after.at(-1)!.state, 'success', JSON.stringify(after));
    assert.match(after.at(-1)!.description ?? '', /Preview ready/);
    await page.goto(`${fixed.preview.url}/fc/setup/`);
    assert.match(await page.locator('main').innerText(), /Run the installer\./);

    // Closing the PR removes the preview.
    await gh.updatePullRequest('acme', 'fc', number, { state: 'closed' });
    const closed = await deliver('closed');
    assert.equal(closed.state, 'succeeded', JSON.stringify(closed.error));
    assert.equal(closed.preview.removed, true);
    const gone = await previewGet(opened.preview.url, '/fc/');
    assert.equal(gone.status, 404);
    assert.match(gone.text, /gone|closed|expired/i);
    assert.equal(gh.statuses.of('acme', 'fc', head2).length, after.length, 'closing sets no status');
    assert.equal(await (await fetch(`${server.url}/fc/`)).text(), liveBefore, 'the live site never changed');
    await page.close();
  });
});
