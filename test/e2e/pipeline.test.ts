/**
 * The whole story on one machine, over real protocols: the server (`scripts/start.ts`, as `npm start`
 * runs it) builds the site from a fake GitHub backed by real git repos and a local folder; a commit is
 * pushed, GitHub's signed delivery arrives, and the new text is served — seen in Chromium — while the
 * mail arrives over SMTP and the DingTalk stand-in verifies the signed message. Then kill -9 right
 * after a 202: the accepted build still completes after a restart.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { startDingTalkStandIn, type DingTalkStandIn } from '../support/dingTalkStandIn.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';
import { startSmtpStandIn, type SmtpStandIn } from '../support/smtpStandIn.ts';
import { startServerProcess, waitForBuild, waitForLatestBuild, type ServerProcess } from '../support/startServerProcess.ts';

const execFileAsync = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const SECRETS = {
  webhook: 'whsec-e2e-0123456789',
  github: 'ghp_e2eTokenValue0123456789',
  rebuild: 'rebuild-token-e2e-42',
  dingtalk: 'SECdingtalk-e2e-secret',
  smtpPass: 'smtp-pass-e2e-!x',
};

describe('end to end: push → durable queue → fetch → build → deploy → notify', () => {
  let dir: string;
  let gh: FakeGitHub;
  let ding: DingTalkStandIn;
  let smtp: SmtpStandIn;
  let server: ServerProcess | undefined;
  let browser: Browser;
  let env: Record<string, string>;
  const outputs: string[] = [];
  let headSha = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e2e-'));
    gh = await startFakeGitHub({ token: SECRETS.github });
    headSha = await gh.createRepo('acme', 'widgets', {
      'docs/readme.md': '# Widgets\n\nWidgets make things. See [setup](guide/setup.md).\n',
      'docs/guide/setup.md': '---\ntitle: Setting up\nposition: 1\n---\nInstall the widget.\n\n[Back](../readme.md)\n',
      'README.md': '# not docs\n',
    });
    mkdirSync(join(dir, 'handbook'));
    writeFileSync(join(dir, 'handbook', 'readme.md'), '# Handbook\n\nLocal folder source. 中文内容。\n');
    writeFileSync(
      join(dir, 'sources.yaml'),
      'sources:\n  - id: widgets\n    title: Widgets\n    repo: acme/widgets\n  - id: handbook\n    title: Handbook\n    path: handbook\n',
    );
    ding = await startDingTalkStandIn({ secret: SECRETS.dingtalk, keyword: 'docs', accessToken: 'tok123' });
    smtp = await startSmtpStandIn({ user: 'mailer', pass: SECRETS.smtpPass });
    env = {
      DATA_DIR: join(dir, 'data'),
      SOURCES_FILE: join(dir, 'sources.yaml'),
      GITHUB_API_URL: gh.url,
      GITHUB_TOKEN: SECRETS.github,
      GITHUB_WEBHOOK_SECRET: SECRETS.webhook,
      REBUILD_TOKEN: SECRETS.rebuild,
      DINGTALK_WEBHOOK_URL: ding.url,
      DINGTALK_SECRET: SECRETS.dingtalk,
      DINGTALK_KEYWORD: 'docs',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'docs-sync <docs@example.com>',
      MAIL_TO: 'team@example.com, lead@example.com',
    };
    server = await startServerProcess(env);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (server) {
      outputs.push(server.output());
      if (process.env.E2E_DEBUG) console.log(outputs.join('\n----- restart -----\n'));
      await server.stop();
    }
    await Promise.all([gh?.close(), ding?.close(), smtp?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds and serves the site on first start', async () => {
    const first = await waitForLatestBuild(server!.url);
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
    assert.deepEqual(first.sources.map((s: any) => s.id).sort(), ['handbook', 'widgets']);
    for (const phase of ['fetch', 'transform', 'build', 'deploy']) assert.equal(typeof first.phases[phase], 'number', phase);
    const page = await fetch(`${server!.url}/widgets/guide/setup/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Install the widget/);
    assert.match(await (await fetch(`${server!.url}/handbook/`)).text(), /中文内容/);
  });

  it('a signed push makes the new text live, then mail and DingTalk report it', async () => {
    const mailsBefore = smtp.messages.length;
    const dingBefore = ding.messages.length;
    const sha = await gh.commit('acme', 'widgets', {
      files: {
        'docs/guide/setup.md': '---\ntitle: Setting up\nposition: 1\n---\nInstall the widget. Then run `widget init` — 新的步骤.\n\n[Back](../readme.md)\n',
      },
      message: 'docs: add init step',
    });
    // A push whose payload lists the changed file: the builder fetches just that file.
    const delivery = await signedDelivery(
      SECRETS.webhook,
      'push',
      pushPayload('acme/widgets', 'main', { sha, before: headSha, pusher: 'alice', commits: [{ modified: ['docs/guide/setup.md'] }] }),
    );
    headSha = sha;
    const started = performance.now();
    const ack = await postDelivery(`${server!.url}/webhook`, delivery);
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    assert.ok(performance.now() - started < 5000, 'acknowledged without waiting for the build');
    assert.equal(ack.body.delivery, delivery.guid);

    const build = await waitForBuild(server!.url, ack.body.id);
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    const { changes, ...trigger } = build.trigger;
    assert.deepEqual(trigger, { kind: 'push', repo: 'acme/widgets', ref: 'refs/heads/main', sha, pusher: 'alice', delivery: delivery.guid });
    assert.deepEqual(changes.modified, ['docs/guide/setup.md']);
    assert.equal(changes.complete, true);
    assert.equal(build.sources.find((s: any) => s.id === 'widgets').sha, sha);
    assert.equal(build.pages.changed, 1);

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server!.url}/widgets/guide/setup/`);
    assert.match(await page.locator('main').innerText(), /新的步骤/);
    assert.equal(await page.locator('h1').first().innerText(), 'Setting up');
    await page.locator('main a', { hasText: 'Back' }).click();
    await page.waitForURL(`${server!.url}/widgets/`);
    assert.match(await page.locator('main').innerText(), /Widgets make things/);
    assert.deepEqual(errors, []);
    await page.close();

    // The same delivery again: acknowledged as a duplicate, nothing built twice.
    const again = await postDelivery(`${server!.url}/webhook`, delivery);
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);

    await waitFor(() => smtp.messages.length > mailsBefore && ding.messages.length > dingBefore, 'notifications');
    const mail = smtp.messages.at(-1)!;
    assert.deepEqual(mail.to.sort(), ['lead@example.com', 'team@example.com']);
    assert.match(mail.subject, /succeeded/i);
    assert.match(mail.text ?? '', new RegExp(build.id));
    assert.match(mail.html ?? '', /<a [^>]*href=/);
    const msg = ding.messages.at(-1)!;
    assert.equal(msg.msgtype, 'markdown');
    assert.match(msg.text, /acme\/widgets/);
    assert.match(msg.text, /docs/);
    for (const text of [mail.raw, msg.text]) for (const secret of Object.values(SECRETS)) assert.ok(!text.includes(secret), 'no secret in a notification');
  });

  it('a manual rebuild is authenticated and queued', async () => {
    const denied = await fetch(`${server!.url}/rebuild`, { method: 'POST', headers: { authorization: 'Bearer nope' } });
    assert.equal(denied.status, 401);
    const res = await fetch(`${server!.url}/rebuild`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS.rebuild}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sources: ['handbook'] }),
    });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    const build = await waitForBuild(server!.url, id);
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    assert.deepEqual(build.trigger, { kind: 'manual', full: false, requestedBy: 'http', sources: ['handbook'] });
  });

  it('npm run rebuild queues into the running server and follows the build to its end', async () => {
    // Asynchronously: the fake GitHub lives in this process and must keep answering.
    const r = await execFileAsync(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/rebuild.ts', '--source', 'widgets'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.match(r.stdout, new RegExp(`server running at ${server!.url.replace('127.0.0.1', 'localhost')}`));
    assert.match(r.stdout, /Build \S+ succeeded\./);
  });

  it('kill -9 right after a 202 loses nothing: the build completes after a restart', async () => {
    const sha = await gh.commit('acme', 'widgets', { files: { 'docs/guide/crash.md': '# Crash course\n\nSurvived a kill -9.\n' } });
    const delivery = await signedDelivery(SECRETS.webhook, 'push', pushPayload('acme/widgets', 'main', { sha }));
    const ack = await postDelivery(`${server!.url}/webhook`, delivery);
    assert.equal(ack.status, 202);
    await server!.kill9();
    outputs.push(server!.output());
    server = await startServerProcess(env);
    const build = await waitForBuild(server.url, ack.body.id);
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    assert.match(await (await fetch(`${server.url}/widgets/guide/crash/`)).text(), /Survived a kill -9/);
  });

  it('rolls back to a kept release over HTTP and from the CLI, atomically', async () => {
    const url = server!.url;
    const { releases } = (await (await fetch(`${url}/releases`)).json()) as { releases: Array<{ release: string; current: boolean }> };
    assert.ok(releases.length >= 3, `kept releases: ${releases.length}`);
    const current = releases.find((r) => r.current)!.release;
    assert.match(await (await fetch(`${url}/widgets/guide/crash/`)).text(), /Survived a kill -9/);
    assert.equal((await fetch(`${url}/rollback`, { method: 'POST' })).status, 401);
    const res = await fetch(`${url}/rollback`, { method: 'POST', headers: { authorization: `Bearer ${SECRETS.rebuild}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { release: string; previous: string };
    assert.equal(body.previous, current);
    assert.ok(body.release < current, 'the release before the current one');
    assert.equal((await fetch(`${url}/widgets/guide/crash/`)).status, 404, 'the page added by the newest build is gone');
    const bad = await fetch(`${url}/rollback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS.rebuild}` },
      body: JSON.stringify({ release: 'no-such-release' }),
    });
    assert.equal(bad.status, 409);
    assert.match(((await bad.json()) as { error: string }).error, /does not exist/);
    const cli = await execFileAsync(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/rollback.ts', current], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, ...env },
      encoding: 'utf8',
    });
    assert.match(cli.stdout, new RegExp(`now serves release ${current}`));
    assert.match(await (await fetch(`${url}/widgets/guide/crash/`)).text(), /Survived a kill -9/);
  });

  it('never prints a secret in the server log', () => {
    const log = outputs.join('\n') + server!.output();
    assert.match(log, /docs-sync is running/);
    for (const secret of Object.values(SECRETS)) assert.ok(!log.includes(secret), `secret leaked into the log`);
  });
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
