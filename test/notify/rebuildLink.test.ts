import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { rebuildLink, verifyRebuildParams } from '../../functions/core/rebuild/rebuildLink.ts';
import { type LocalRuntime, startLocal } from '../../functions/local/startLocal.ts';

const TOKEN = 'rebuild-token-s3cr3t-0123456789';
const DAY = 86_400_000;

const paramsOf = (link: string) => new URL(link).searchParams;

test('a signed link verifies, and any change to it (or to the token) does not', () => {
  const now = 1_714_550_400_000;
  const link = rebuildLink({ publicUrl: 'https://docs.example.com/', token: TOKEN, sources: ['oss', 'fc', 'fc'], now });
  assert.ok(link.startsWith('https://docs.example.com/rebuild/confirm?sources=fc,oss&full=0&exp=1715155200&sig='), link);
  assert.ok(!link.includes(TOKEN));
  assert.deepEqual(verifyRebuildParams(paramsOf(link), TOKEN, now), { ok: true, sources: ['fc', 'oss'], full: false, exp: 1_715_155_200 });

  const tamper = (key: string, value: string) => {
    const p = paramsOf(link);
    p.set(key, value);
    return verifyRebuildParams(p, TOKEN, now);
  };
  assert.equal((tamper('sources', 'fc') as { reason: string }).reason, 'bad-signature');
  assert.equal((tamper('sources', '') as { reason: string }).reason, 'bad-signature', 'cannot widen to all sources');
  assert.equal((tamper('full', '1') as { reason: string }).reason, 'bad-signature');
  assert.equal((tamper('exp', '9999999999') as { reason: string }).reason, 'bad-signature');
  assert.equal((verifyRebuildParams(paramsOf(link), `${TOKEN}x`, now) as { reason: string }).reason, 'bad-signature');
  assert.equal((tamper('full', 'yes') as { reason: string }).reason, 'malformed');
  assert.equal((tamper('sources', '../etc') as { reason: string }).reason, 'malformed');
  // The same sources in another order are the same request.
  assert.equal(tamper('sources', 'oss,fc').ok, true);

  const late = verifyRebuildParams(paramsOf(link), TOKEN, now + 7 * DAY + 1000);
  assert.equal(late.ok, false);
  assert.match((late as { message: string }).message, /expired at 2024-05-08T08:00:00\.000Z/);
});

describe('GET/POST /rebuild/confirm on the real server', () => {
  let dir: string;
  let rt: LocalRuntime;
  let noToken: LocalRuntime;
  const publicUrl = 'https://docs.example.com';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rebuild-link-'));
    mkdirSync(join(dir, 'guide'));
    writeFileSync(join(dir, 'guide', 'readme.md'), '# Guide\n');
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: guide\n    title: Guide\n    path: guide\n  - id: fc\n    title: FC\n    repo: acme/fc\n');
    const env = { SOURCES_FILE: join(dir, 'sources.yaml'), PORT: '0', PUBLIC_URL: publicUrl };
    const quiet = () => {};
    rt = await startLocal({ env: { ...env, DATA_DIR: join(dir, 'a'), REBUILD_TOKEN: TOKEN }, cwd: dir, builder: false, host: '127.0.0.1', log: quiet });
    noToken = await startLocal({ env: { ...env, DATA_DIR: join(dir, 'b') }, cwd: dir, builder: false, host: '127.0.0.1', log: quiet });
  });

  after(async () => {
    await rt?.close();
    await noToken?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The link as a notification carries it, sent to this test server instead of PUBLIC_URL. */
  const local = (link: string, server = rt) => link.replace(publicUrl, server.url.replace('localhost', '127.0.0.1'));

  it('GET answers a confirmation page with a POST form and queues nothing', async () => {
    const before = rt.queue.list(100).length;
    const link = rebuildLink({ publicUrl, token: TOKEN, sources: ['fc', 'guide'] });
    const res = await fetch(local(link));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    const html = await res.text();
    assert.match(html, /<form method="post">/);
    assert.match(html, /This rebuilds sources fc, guide, reusing what has not changed/);
    const sig = paramsOf(link).get('sig')!;
    assert.ok(html.includes(`<input type="hidden" name="sig" value="${sig}">`));
    assert.ok(!html.includes(TOKEN));
    // Prefetchers and link previews may GET as often as they like.
    await fetch(local(link), { method: 'HEAD' });
    await fetch(local(link));
    assert.equal(rt.queue.list(100).length, before, 'GET queued nothing');
  });

  it('POST of the form queues exactly one manual build for the signed sources (HTML for browsers)', async () => {
    const before = rt.queue.list(100).length;
    const link = rebuildLink({ publicUrl, token: TOKEN, sources: ['fc'] });
    // What the browser sends when the button is pressed: the form fields, to the same URL.
    const form = new URLSearchParams([...paramsOf(link)]).toString();
    const res = await fetch(local(link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: form });
    assert.equal(res.status, 202);
    const html = await res.text();
    const id = /Build <strong>([\w-]+)<\/strong> is queued/.exec(html)?.[1];
    assert.ok(id, html);
    assert.match(html, new RegExp(`href="\\.\\./_builds/${id}"`));
    const builds = rt.queue.list(100);
    assert.equal(builds.length, before + 1);
    assert.deepEqual(rt.queue.get(id!)?.trigger, { kind: 'manual', full: false, requestedBy: 'rebuild link', sources: ['fc'] });
  });

  it('POST with the signed query string alone answers JSON {id}', async () => {
    const link = rebuildLink({ publicUrl, token: TOKEN, sources: [], full: true });
    const res = await fetch(local(link), { method: 'POST' });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    assert.deepEqual(rt.queue.get(id)?.trigger, { kind: 'manual', full: true, requestedBy: 'rebuild link' });
  });

  it('a tampered or expired link is 403 with a clear message and queues nothing', async () => {
    const before = rt.queue.list(100).length;
    const link = rebuildLink({ publicUrl, token: TOKEN, sources: ['fc'] });
    const widened = local(link).replace('sources=fc', 'sources=fc,guide');
    for (const method of ['GET', 'POST']) {
      const res = await fetch(widened, { method, headers: { accept: 'text/html' } });
      assert.equal(res.status, 403, method);
      assert.match(await res.text(), /signature does not match/);
    }
    const old = rebuildLink({ publicUrl, token: TOKEN, sources: ['fc'], now: Date.now() - 8 * DAY });
    const expired = await fetch(local(old), { method: 'POST' });
    assert.equal(expired.status, 403);
    assert.match(((await expired.json()) as { error: string }).error, /This rebuild link expired at \d{4}-\d\d-\d\dT/);
    const forged = rebuildLink({ publicUrl, token: 'guessed-token', sources: ['fc'] });
    assert.equal((await fetch(local(forged), { method: 'POST' })).status, 403);
    assert.equal((await fetch(local(link).replace(/&sig=.*/, ''))).status, 400, 'no signature at all');
    assert.equal(rt.queue.list(100).length, before);
  });

  it('a link naming a source no longer configured is refused; without REBUILD_TOKEN links are disabled', async () => {
    const gone = rebuildLink({ publicUrl, token: TOKEN, sources: ['oss'] });
    const res = await fetch(local(gone), { method: 'POST' });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /unknown source\(s\): oss/);
    const disabled = await fetch(local(rebuildLink({ publicUrl, token: TOKEN, sources: ['fc'] }), noToken));
    assert.equal(disabled.status, 503);
    assert.match(await disabled.text(), /REBUILD_TOKEN is not set/);
    assert.equal(noToken.queue.list(10).length, 0);
  });
});
