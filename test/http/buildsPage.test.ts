import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright';
import { createApp } from '../../functions/core/http/createApp.ts';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import type { BuildRecord } from '../../functions/core/types.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';
import { launchBrowser } from '../support/launchBrowser.ts';

describe('the build page for humans (/_builds/)', () => {
  let dir: string;
  let queue: BuildQueue;
  let server: Server;
  let url: string;
  let browser: Browser;
  const ids: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'builds-page-'));
    let now = Date.parse('2026-11-20T10:00:00Z');
    queue = new BuildQueue(openDatabase(join(dir, 'q.db')), { now: () => now, coalesceWindowMs: 0 });
    const finish = (state: BuildRecord['state'], extra: Partial<BuildRecord> = {}) => {
      const claimed = queue.claim()!.build;
      now += 4000 + Math.round(Math.random() * 3000);
      Object.assign(claimed, { state, finishedAt: new Date(now).toISOString(), phases: { fetch: 300, transform: 200, build: 3000, deploy: 20 }, ...extra });
      queue.save(claimed);
      return claimed.id;
    };
    const push = (pusher: string) => ({
      kind: 'push' as const,
      repo: 'devsapp/fc',
      ref: 'refs/heads/main',
      sha: 'abcdef1234567890'.padEnd(40, '0'),
      pusher,
      delivery: `d-${pusher}`,
    });
    queue.enqueue(push('alice'));
    ids.succeeded = finish('succeeded', {
      sources: [
        {
          id: 'fc',
          state: 'built',
          sha: 'a'.repeat(40),
          previousSha: 'b'.repeat(40),
          pages: 67,
          diagnostics: [{ source: 'fc', file: 'docs/a.md', line: 3, kind: 'broken-link', message: 'Broken link "x.md"' }],
        },
      ],
      pages: { total: 67, added: 1, changed: 2, removed: 0 },
    });
    queue.enqueue(push('<img src=x onerror="window.__xss=1">'));
    ids.failed = finish('failed', { error: { phase: 'build', message: 'astro build failed: <script>window.__xss=1</script>' } });
    queue.enqueue({ kind: 'manual', full: true, requestedBy: 'cli' });
    ids.degraded = finish('degraded', {
      sources: [{ id: 'sae', state: 'stale', staleSince: '2026-11-19T08:00:00Z', error: 'GitHub answered 502', pages: 9, diagnostics: [] }],
    });
    ids.skipped = (
      queue.acceptDelivery({ guid: 'g-skip', event: 'push' }, { skip: 'branch dev is not tracked', trigger: push('bob') }) as { build: BuildRecord }
    ).build.id;
    queue.enqueue(push('carol'));
    ids.superseded = queue.list(1)[0]!.id;
    queue.enqueue(push('dave'));
    ids.queued = queue.list(1)[0]!.id;
    const app = createApp({
      webhook: async () => new Response(),
      rebuild: async () => new Response(),
      queue,
      site: async () => new Response('site'),
      publicUrl: 'https://docs.example.com',
    });
    server = createServer(toNodeListener(app, () => {}));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
    queue?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every build with a distinct badge per outcome, phases, sources and a duration chart', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/_builds/`);
    const colors = new Map<string, string>();
    for (const state of ['succeeded', 'failed', 'degraded', 'skipped', 'superseded', 'queued']) {
      const badge = page.locator(`tr.state-${state} .badge`).first();
      assert.equal(await badge.innerText(), state);
      colors.set(state, await badge.evaluate((el) => getComputedStyle(el).backgroundColor));
    }
    assert.equal(new Set(colors.values()).size, colors.size, `badge colours must differ: ${JSON.stringify([...colors])}`);
    assert.match(await page.locator(`tr.state-succeeded`).innerText(), /67 \(\+1 ~2 −0\)/);
    assert.match(await page.locator(`tr.state-degraded`).innerText(), /1 stale/);
    assert.match(await page.locator(`tr.state-superseded`).innerText(), new RegExp(`carried by ${ids.queued}`));
    assert.equal(await page.locator('svg.chart rect[fill="#f28e2b"]').count(), 3, 'one build-phase bar per finished build');
    assert.match(await page.locator('code').last().innerText(), /!\[docs\]\(https:\/\/docs\.example\.com\/_builds\/badge\.svg\)/);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, 'no injected script ran');
    await page.locator(`a[href="/_builds/${ids.degraded}"]`).first().click();
    await page.waitForURL(`${url}/_builds/${ids.degraded}`);
    assert.match(await page.locator('body').innerText(), /stale since 2026-11-19T08:00:00Z — GitHub answered 502/);
    await page.goto(`${url}/_builds/${ids.succeeded}`);
    assert.match(await page.locator('body').innerText(), /docs\/a\.md:3\s+broken-link/);
    assert.match(await page.locator('body').innerText(), /bbbbbbb → aaaaaaa/);
    await page.goto(`${url}/_builds/${ids.failed}`);
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("sends its pages with a policy that runs no script at all (docs-sync's own pages, no author content)", async () => {
    for (const path of ['/_builds/', '/_builds/login']) {
      const res = await fetch(`${url}${path}`, { redirect: 'manual' });
      await res.body?.cancel();
      if (res.headers.get('content-type')?.startsWith('text/html'))
        assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'none';(?!.*script-src)/, path);
    }
  });

  it('serves an SVG status badge of the latest finished build', async () => {
    const res = await fetch(`${url}/_builds/badge.svg`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /image\/svg\+xml/);
    const svg = await res.text();
    assert.match(svg, /<svg[^>]+role="img"/);
    assert.match(svg, /docs: degraded/, 'the newest finished build; skipped and superseded ones do not count');
    assert.equal((await fetch(`${url}/_builds/nope`)).status, 404);
  });
});
