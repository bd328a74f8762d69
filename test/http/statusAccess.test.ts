/**
 * The status pages (/builds, /_builds/, /deliveries, /releases) over real HTTP: public while no
 * source is known to be private; behind a token as soon as GitHub says a repository is private (a
 * signed push whose payload has `repository.private`), or whenever STATUS_TOKEN is set; closed with
 * the fix when there is no token to use; the badge always public. Browsers log in through a form and
 * get an HttpOnly, SameSite=Strict cookie that never contains the token (checked in Chromium).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseSources } from '../../functions/core/config/loadSources.ts';
import { createApp } from '../../functions/core/http/createApp.ts';
import { privateRepos } from '../../functions/core/http/privateRepos.ts';
import { describeStatusAccess, type StatusAccessSettings } from '../../functions/core/http/statusAccess.ts';
import { createStatusGuard } from '../../functions/core/http/statusGuard.ts';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import { createWebhookHandler } from '../../functions/core/webhook/createWebhookHandler.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { rawRequest } from '../support/rawHttp.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';

const SECRET = 'webhook-secret';
const REBUILD = 'rebuild-token-0123456789abcdef';
const STATUS = 'status-token-fedcba9876543210';

interface Running {
  url: string;
  queue: BuildQueue;
  close(): Promise<void>;
}

const sources = parseSources(
  {
    sources: [
      { id: 'fc', title: 'FC', repo: 'devsapp/fc' },
      { id: 'secret', title: 'Secret', repo: 'acme/secret-docs' },
    ],
  },
  tmpdir(),
);

/** The shared app (as startLocal wires it) with the webhook, a queue and the status guard. */
async function start(settings: StatusAccessSettings, now: () => number = Date.now): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'status-access-'));
  const queue = new BuildQueue(openDatabase(join(dir, 'q.db')), { coalesceWindowMs: 0 });
  const app = createApp({
    webhook: createWebhookHandler({ secret: SECRET, sources, queue }),
    rebuild: async () => new Response(),
    queue,
    site: async () => new Response('the site'),
    releases: async () => [],
    status: createStatusGuard(settings, () => privateRepos(queue.list(200), sources), now),
  });
  const server: Server = createServer(toNodeListener(app, () => {}));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    queue,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      queue.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const push = async (url: string, repo: string, isPrivate: boolean): Promise<void> => {
  const payload = pushPayload(repo, 'main', { commits: [{ modified: ['docs/readme.md'] }] });
  payload.repository.private = isPrivate;
  const answer = await postDelivery(`${url}/webhook`, await signedDelivery(SECRET, 'push', payload));
  assert.equal(answer.status, 202);
};

const STATUS_PATHS = ['/builds', '/deliveries', '/releases', '/_builds/'];

describe('status pages access', () => {
  const running: Running[] = [];
  after(async () => {
    for (const r of running) await r.close();
  });
  const started = async (settings: StatusAccessSettings, now?: () => number) => {
    const r = await start(settings, now);
    running.push(r);
    return r;
  };

  it('are public while no source is known to be private, and protected from the push that says one is', async () => {
    const { url, queue } = await started({ rebuildToken: REBUILD });
    await push(url, 'devsapp/fc', false);
    for (const p of STATUS_PATHS) assert.equal((await rawRequest(url + p, { method: 'GET' })).status, 200, p);

    await push(url, 'acme/secret-docs', true);
    const recorded = queue.list(1)[0]!.trigger;
    assert.equal(recorded.kind === 'push' ? recorded.private : undefined, true, 'the push records repository.private');
    for (const p of [...STATUS_PATHS, `/builds/${queue.list(1)[0]!.id}`, `/_builds/${queue.list(1)[0]!.id}`]) {
      const r = await rawRequest(url + p, { method: 'GET' });
      assert.equal(r.status, 401, p);
      assert.match(String(r.headers['www-authenticate']), /^Bearer/, p);
      assert.doesNotMatch(r.text, /secret-docs|octocat/, `${p} shows nothing of the builds`);
    }
    assert.match((await rawRequest(`${url}/builds`, { method: 'GET' })).json.hint, /Authorization: Bearer <REBUILD_TOKEN>/);
    const authed = await rawRequest(`${url}/builds`, { method: 'GET', headers: { authorization: `Bearer ${REBUILD}` } });
    assert.equal(authed.status, 200);
    assert.equal(authed.json.builds.length, 2);
    assert.equal((await rawRequest(`${url}/builds`, { method: 'GET', headers: { authorization: 'Bearer wrong' } })).status, 401);
    // Still public: the badge (outcome only), the site, health.
    const badge = await rawRequest(`${url}/_builds/badge.svg`, { method: 'GET' });
    assert.equal(badge.status, 200);
    assert.match(String(badge.headers['content-type']), /image\/svg\+xml/);
    assert.equal((await rawRequest(`${url}/`, { method: 'GET' })).text, 'the site');
    assert.equal((await rawRequest(`${url}/healthz`, { method: 'GET' })).status, 200);
  });

  it('STATUS_TOKEN protects them with no private repository, and is the only token then', async () => {
    const { url } = await started({ statusToken: STATUS, rebuildToken: REBUILD });
    for (const p of STATUS_PATHS) assert.equal((await rawRequest(url + p, { method: 'GET' })).status, 401, p);
    assert.equal((await rawRequest(`${url}/deliveries`, { method: 'GET', headers: { authorization: `Bearer ${STATUS}` } })).status, 200);
    assert.equal((await rawRequest(`${url}/deliveries`, { method: 'GET', headers: { authorization: `Bearer ${REBUILD}` } })).status, 401);
  });

  it('are closed, saying how to open them, when a repository is private and there is no token', async () => {
    const { url } = await started({});
    await push(url, 'acme/secret-docs', true);
    const r = await rawRequest(`${url}/builds`, { method: 'GET' });
    assert.equal(r.status, 503);
    assert.match(r.json.hint, /acme\/secret-docs is a private repository .*set STATUS_TOKEN/);
    assert.equal((await rawRequest(`${url}/_builds/`, { method: 'GET' })).status, 503);
  });

  it('STATUS_TOKEN=public keeps them public for a private repository, with a warning that says how to fix it', async () => {
    const { url, queue } = await started({ statusPublic: true, rebuildToken: REBUILD });
    await push(url, 'acme/secret-docs', true);
    assert.equal((await rawRequest(`${url}/builds`, { method: 'GET' })).status, 200);
    const line = describeStatusAccess(createStatusGuard({ statusPublic: true }, () => privateRepos(queue.list(200), sources)).access());
    assert.match(line, /^Warning: private repository acme\/secret-docs is published while the status pages .* are public .*Set STATUS_TOKEN/);
  });

  it('logs a browser in with a form: wrong token refused, right one → HttpOnly SameSite=Strict cookie without the token, expiring', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const { url } = await started({ statusToken: STATUS }, () => now);
    const form = (token: string, next = '/_builds/') => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, next }).toString(),
    });
    const wrong = await rawRequest(`${url}/_builds/login`, form('nope'));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['set-cookie'], undefined);
    assert.match(wrong.text, /not right/);
    assert.doesNotMatch(wrong.text, /nope/, 'the given token is never echoed');

    const ok = await rawRequest(`${url}/_builds/login`, form(STATUS));
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, '/_builds/');
    const cookie = String(ok.headers['set-cookie']);
    assert.match(cookie, /^docs_sync_status=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    assert.ok(!cookie.includes(STATUS), 'the cookie is not the token');
    const session = cookie.split(';')[0]!;
    assert.equal((await rawRequest(`${url}/_builds/`, { method: 'GET', headers: { cookie: session } })).status, 200);
    assert.equal((await rawRequest(`${url}/builds`, { method: 'GET', headers: { cookie: session } })).status, 200);
    const forged = session.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    assert.equal((await rawRequest(`${url}/_builds/`, { method: 'GET', headers: { cookie: forged } })).status, 401);
    for (const next of ['//evil.example/x', 'https://evil.example/', '/somewhere']) {
      assert.equal((await rawRequest(`${url}/_builds/login`, form(STATUS, next))).headers.location, '/_builds/', next);
    }
    now += 8 * 24 * 3600 * 1000;
    assert.equal((await rawRequest(`${url}/_builds/`, { method: 'GET', headers: { cookie: session } })).status, 401, 'sessions expire');
  });

  describe('in Chromium', () => {
    let browserClose: (() => Promise<void>) | undefined;
    after(async () => browserClose?.());

    it('shows the login form on /_builds/, then the builds; the cookie is out of reach of page script', async () => {
      const { url } = await started({ statusToken: STATUS });
      await push(url, 'devsapp/fc', false);
      const browser = await launchBrowser();
      browserClose = () => browser.close();
      const page = await browser.newPage();
      const first = await page.goto(`${url}/_builds/`);
      assert.equal(first?.status(), 401);
      await page.fill('input[name=token]', 'wrong-token');
      await page.click('button[type=submit]');
      assert.match(await page.locator('[role=alert]').innerText(), /not right/);
      await page.fill('input[name=token]', STATUS);
      await page.click('button[type=submit]');
      await page.waitForURL(`${url}/_builds/`);
      assert.match(await page.locator('body').innerText(), /octocat/);
      assert.equal(await page.evaluate(() => document.cookie), '', 'HttpOnly: page script cannot read the session');
      const json = await page.goto(`${url}/builds`);
      assert.equal(json?.status(), 200);
    });
  });
});
