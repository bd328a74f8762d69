/**
 * PR previews, site side, through the local server (startLocal: the queue, the worker's dispatch to
 * runPreviewBuild, the real transform and the real warm site builder) at a small scale. The pull
 * request's sources come from an injected fetch step that edits copies of the live snapshot (the real
 * one fetches from GitHub). Checks: a one-page change renders one page (the site builder's own count),
 * the preview shows the new text while the live release, the builder's state and the live files stay
 * byte for byte as they were, no operator notification, inbound links the PR breaks (a removed heading,
 * a renamed page), serving by host over real HTTP (banner, noindex, robots.txt, its own search index,
 * 404 once gone), one Chromium check (banner visible, CSP intact, search finds the PR's text on the
 * preview only), removal on close and expiry at start (PREVIEW_RETENTION).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { readPreview } from '../../functions/core/deploy/previews.ts';
import { type BuildRecord, FINAL_STATES } from '../../functions/core/types.ts';
import { type LocalRuntime, startLocal } from '../../functions/local/startLocal.ts';
import { type DingTalkStandIn, startDingTalkStandIn } from '../support/dingTalkStandIn.ts';
import { editedPullRequest, type PullRequestHead, previewTrigger } from '../support/editedPullRequest.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { rawRequest } from '../support/rawHttp.ts';

const KEY = 'alpha-pr-7';
let dir: string;
let data: string;
let rt: LocalRuntime;
let ding: DingTalkStandIn;
const logged: string[] = [];
let head: PullRequestHead = { sha: 'a'.repeat(40), files: {} };
const fetchPullRequest = editedPullRequest(() => head);
const trigger = (action: 'open' | 'close', sha: string) => previewTrigger(action, 'alpha', 'acme/alpha', 7, sha, 'Reword page one');

async function finished(id: string, timeoutMs = 240_000): Promise<BuildRecord> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const b = rt.queue.get(id);
    if (b && FINAL_STATES.has(b.state)) {
      await rt.worker.idle(); // its notifications too
      await rt.notifier.settled();
      return b;
    }
    if (Date.now() > until) throw new Error(`build ${id} not final: ${JSON.stringify(b)}\n${logged.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function preview(action: 'open' | 'close', sha: string): Promise<BuildRecord> {
  const b = rt.queue.enqueue(trigger(action, sha));
  rt.worker.wake();
  return finished(b.id);
}

/** sha-256 of every file under the live parts of DATA_DIR: releases, the builder's state, mirror and page files, page index, redirects, inbound links, snapshots. */
function liveFiles(): Map<string, string> {
  const out = new Map<string, string>();
  const add = (path: string) => out.set(path.slice(data.length), createHash('sha256').update(readFileSync(path)).digest('hex'));
  for (const top of ['releases', 'snapshots', 'cache/astro/builder']) {
    for (const e of readdirSync(join(data, top), { recursive: true, withFileTypes: true })) {
      // The page files too; not the lease (the build lock's) nor the sidebars (named by their content, only ever added).
      if (e.isFile() && !/builder\/(lease|render\/nav)/.test(e.parentPath)) add(join(e.parentPath, e.name));
    }
  }
  for (const file of ['pages.json', 'redirects.json', 'inbound-links.json']) if (existsSync(join(data, file))) add(join(data, file));
  return out;
}

const get = (path: string, host: string) => rawRequest(`${rt.url}${path}`, { method: 'GET', headers: { host } });
const previewHost = () => `${KEY}.preview.localhost:${new URL(rt.url).port}`;

async function start(env: Record<string, string> = {}): Promise<LocalRuntime> {
  return startLocal({
    env: {
      SOURCES_FILE: join(dir, 'sources.yaml'),
      DATA_DIR: data,
      PORT: '0',
      RECONCILE_EVERY: '0',
      PREVIEW_URL: 'http://{key}.preview.localhost',
      DINGTALK_WEBHOOK_URL: ding.url,
      ...env,
    },
    cwd: dir,
    host: '127.0.0.1',
    steps: { fetchPullRequest },
    log: (line) => logged.push(line),
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preview-build-'));
  data = join(dir, 'data');
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write('alpha/readme.md', '# Alpha\n\nThe alpha component.\n');
  write('alpha/page-one.md', '# Page one\n\nThe original wording of page one.\n');
  write('alpha/page-two.md', '# Page two\n\n## Install\n\nRun the installer.\n');
  write('alpha/page-three.md', '# Page three\n\nThe third page.\n');
  write('beta/readme.md', '# Beta\n\nSee [install](/alpha/page-two/#install) and [page three](/alpha/page-three/).\n');
  write(
    'sources.yaml',
    'sources:\n  - id: alpha\n    title: Alpha\n    path: alpha\n  - id: beta\n    title: Beta\n    path: beta\nsite:\n  languages: [{ code: en, label: English }]\n  defaultLanguage: en\n',
  );
  ding = await startDingTalkStandIn({ accessToken: 'robot' });
  rt = await start();
  const first = await finished(rt.queue.list(1)[0]!.id);
  assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
  await rt.notifier.settled();
  assert.equal(ding.messages.length, 1, 'the live build is reported');
});

after(async () => {
  await rt?.close();
  await ding?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PR previews', () => {
  let browser: Browser | undefined;
  after(async () => browser?.close());

  it('renders only the changed page against the live build, publishes the preview and leaves everything live as it was', async () => {
    const live = liveFiles();
    const messages = ding.messages.length;
    head = { sha: 'a'.repeat(40), files: { 'page-one.md': '# Page one\n\nThe zanzibarish wording a pull request proposes.\n' } };
    const b = await preview('open', head.sha);
    assert.equal(b.state, 'succeeded', JSON.stringify(b.error));
    assert.deepEqual(b.preview, { key: KEY, url: `http://${KEY}.preview.localhost`, rendered: 1, requests: 0 });
    assert.deepEqual(b.pages, { total: 5, added: 0, removed: 0, changed: 1 });
    const found = await readPreview(data, KEY);
    assert.ok(found);
    assert.equal(found.info.pr.headSha, head.sha);
    assert.match(readFileSync(join(found.siteDir, 'alpha/page-one/index.html'), 'utf8'), /zanzibarish wording/);
    assert.doesNotMatch(readFileSync(join(data, 'current', 'alpha/page-one/index.html'), 'utf8'), /zanzibarish/);
    assert.deepEqual(liveFiles(), live, 'the live release, builder state, mirror, page index, redirects, inbound links and snapshots are untouched');
    await rt.notifier.settled();
    assert.equal(ding.messages.length, messages, 'a preview is not reported to the operators');
    assert.match((await get(`/_builds/${b.id}`, 'localhost')).text, /<th[^>]*>Preview<\/th><td><a href="http:\/\/alpha-pr-7\.preview\.localhost\/">/);
  });

  it('serves the preview on its own host: banner, noindex, robots.txt, its own search index; the live host unchanged', async () => {
    const page = await get('/alpha/page-one/', previewHost());
    assert.equal(page.status, 200);
    assert.equal(page.headers['x-robots-tag'], 'noindex');
    assert.match(page.text, /zanzibarish wording/);
    assert.match(page.text, /<meta name="robots" content="noindex"><link rel="stylesheet" href="\/_docs-sync\/preview.css"><\/head>/);
    assert.match(
      page.text,
      /class="ds-preview-banner"[\s\S]*href="https:\/\/github.com\/acme\/alpha\/pull\/7">#7 Reword page one<\/a>[\s\S]*<code>aaaaaaa<\/code>/,
    );
    const meta = /<meta http-equiv="content-security-policy" content="([^"]*)">/.exec(page.text)![1]!;
    assert.equal(page.headers['content-security-policy'], `${meta}; frame-ancestors 'self'`, 'the page keeps its own policy');
    const robots = await get('/robots.txt', previewHost());
    assert.equal(robots.text, 'User-agent: *\nDisallow: /\n');
    assert.equal(robots.headers['x-robots-tag'], 'noindex');
    const css = await get('/_docs-sync/preview.css', previewHost());
    assert.equal(css.status, 200);
    assert.match(String(css.headers['content-type']), /text\/css/);
    const shard = await get('/pagefind/shard/alpha/pagefind-entry.json', previewHost());
    assert.equal(shard.status, 200);
    assert.equal(shard.headers['x-robots-tag'], 'noindex');
    assert.notEqual(shard.text, (await get('/pagefind/shard/alpha/pagefind-entry.json', 'localhost')).text, "the preview's own index");

    const livePage = await get('/alpha/page-one/', 'localhost');
    assert.equal(livePage.status, 200);
    assert.equal(livePage.headers['x-robots-tag'], undefined);
    assert.doesNotMatch(livePage.text, /ds-preview-banner|zanzibarish|noindex/);
    const api = await rawRequest(`${rt.url}/webhook`, { method: 'POST', headers: { host: previewHost() }, body: '{}' });
    assert.equal(api.status, 405, 'a preview host serves the preview only, never the API');
    const gone = await get('/', `other-pr-1.preview.localhost:${new URL(rt.url).port}`);
    assert.equal(gone.status, 404);
    assert.match(gone.text, /This preview is gone/);
  });

  it('in Chromium: the banner shows, no policy violation, and search finds the PR text on the preview only', async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) violations.push(m.text());
    });
    const port = new URL(rt.url).port;
    await page.goto(`http://${KEY}.preview.localhost:${port}/alpha/page-two/`);
    const banner = page.locator('.ds-preview-banner');
    await banner.waitFor({ state: 'visible' });
    assert.match(await banner.innerText(), /#7 Reword page one[\s\S]*aaaaaaa/);
    const box = (await banner.boundingBox())!;
    const onTop = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.closest('.ds-preview-banner') !== null,
      [box.x + 5, box.y + box.height / 2],
    );
    assert.ok(onTop, 'nothing covers the banner');
    assert.equal(await page.locator('meta[name="robots"][content="noindex"]').count(), 1);
    /** Search the site at `origin` for the PR's word; resolves once its answer is shown (a result, or "No results"). */
    const search = async (origin: string): Promise<string[]> => {
      await page.goto(`${origin}/alpha/page-two/`);
      await page.locator('site-search button[data-open-modal]').first().click();
      await page.locator('#starlight__search .pagefind-ui__search-input').fill('zanzibarish');
      const links = page.locator('#starlight__search .pagefind-ui__result-link');
      await links
        .first()
        .or(page.locator('#starlight__search .pagefind-ui__message', { hasText: /^No results/ }))
        .waitFor({ timeout: 30_000 });
      const hrefs = await links.evaluateAll((all) => all.map((a) => a.getAttribute('href') ?? ''));
      return [...new Set(hrefs.map((h) => h.split('#')[0]!))];
    };
    assert.deepEqual(await search(`http://${KEY}.preview.localhost:${port}`), ['/alpha/page-one/']);
    assert.deepEqual(await search(rt.url), [], 'the live search does not know the PR');
    assert.deepEqual(violations, []);
  });

  it('a new head commit replaces the preview and names the links of other sources it breaks; the live builder state still holds', async () => {
    head = {
      sha: 'b'.repeat(40),
      files: {
        'page-one.md': '# Page one\n\nThe zanzibarish wording a pull request proposes.\n',
        'page-two.md': '# Page two\n\nRun the installer.\n',
        'page-3.md': '# Page three\n\nThe third page.\n',
      },
      renames: { 'page-3.md': 'page-three.md' },
    };
    const b = await preview('open', head.sha);
    assert.equal(b.state, 'succeeded', JSON.stringify(b.error));
    assert.deepEqual(
      (b.inboundBroken ?? []).map((x) => [x.from.source, x.from.file, x.to.url, x.because]).sort(),
      [
        ['beta', 'readme.md', '/alpha/page-three/', 'page removed'],
        ['beta', 'readme.md', '/alpha/page-two/#install', 'anchor removed'],
      ],
      JSON.stringify(b.inboundBroken),
    );
    assert.deepEqual(b.pages, { total: 5, added: 1, removed: 1, changed: 2 });
    const page = await get('/alpha/page-one/', previewHost());
    assert.match(page.text, /<code>bbbbbbb<\/code>/);
    assert.equal((await get('/alpha/page-three/', previewHost())).status, 301, 'the renamed page redirects in the preview');
    assert.equal(readdirSync(join(data, 'previews', '.builds')).length, 1, 'the older build of the preview is gone');

    // The live build still compares with its own last build: nothing changed, nothing to render.
    const live = rt.queue.enqueue({ kind: 'manual', full: false, requestedBy: 'test' });
    rt.worker.wake();
    const rebuilt = await finished(live.id);
    assert.equal(rebuilt.state, 'succeeded');
    assert.ok(
      logged.some((l) => l.startsWith(`[${live.id}] astro: [site] `) && / 0 to render/.test(l)),
      logged.filter((l) => l.includes('[site]')).join('\n'),
    );
    assert.equal(rebuilt.inboundBroken, undefined, 'the live site broke nothing');
  });

  it('closing the pull request removes the preview; its host says it is gone', async () => {
    const b = await preview('close', head.sha);
    assert.equal(b.state, 'succeeded', JSON.stringify(b.error));
    assert.deepEqual(b.preview, { key: KEY, url: `http://${KEY}.preview.localhost`, removed: true });
    assert.equal(await readPreview(data, KEY), undefined);
    const gone = await get('/alpha/page-one/', previewHost());
    assert.equal(gone.status, 404);
    assert.equal(gone.headers['x-robots-tag'], 'noindex');
    assert.match(gone.text, /closed, or the preview expired/);
  });

  it('removes previews not rebuilt within PREVIEW_RETENTION when the server starts', async () => {
    head = { sha: 'c'.repeat(40), files: { 'page-one.md': '# Page one\n\nAgain.\n' } };
    assert.equal((await preview('open', head.sha)).state, 'succeeded');
    await rt.close();
    rt = await start(); // the default, 14 days, keeps it
    await rt.close();
    assert.ok(await readPreview(data, KEY));
    await new Promise((r) => setTimeout(r, 20));
    rt = await start({ PREVIEW_RETENTION: '10ms' });
    const line = `Removed 1 expired preview(s) (PREVIEW_RETENTION): ${KEY}`;
    for (let i = 0; i < 100 && !logged.includes(line); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(logged.includes(line));
    assert.equal(await readPreview(data, KEY), undefined);
    assert.equal((await get('/', previewHost())).status, 404);
  });
});
