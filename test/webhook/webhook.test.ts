import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../functions/core/http/createApp.ts';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import { createRebuildHandler } from '../../functions/core/rebuild/createRebuildHandler.ts';
import type { BuildRecord, SourceConfig } from '../../functions/core/types.ts';
import { createWebhookHandler } from '../../functions/core/webhook/createWebhookHandler.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';
import { postDelivery, pushPayload, signedDelivery } from '../support/signedDelivery.ts';

const SECRET = 'It’s a Secret to Everybody';
const sources: SourceConfig[] = [
  { id: 'fc', title: 'FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] },
  { id: 'sae', title: 'SAE', repo: { owner: 'devsapp', name: 'sae' }, ref: 'release', paths: ['.'] },
];

async function listen(handler: (r: Request) => Promise<Response>): Promise<{ server: Server; url: string }> {
  const server = createServer(toNodeListener(handler, () => {}));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${addr.port}` };
}

describe('POST /webhook', () => {
  let dir: string;
  let queue: BuildQueue;
  let server: Server;
  let url: string;
  const queued: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-'));
    queue = new BuildQueue(openDatabase(join(dir, 'q.db')));
    const app = createApp({
      webhook: createWebhookHandler({ secret: SECRET, sources, queue, onQueued: (id) => queued.push(id), maxBytes: 1024 * 1024 }),
      rebuild: createRebuildHandler({ token: undefined, sources, queue }),
      queue,
      site: async () => new Response('site', { status: 200 }),
    });
    ({ server, url } = await listen(app));
  });
  after(() => {
    server.close();
    queue.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a signed push on a tracked branch: 202 with the build id, durably queued', async () => {
    const d = await signedDelivery(SECRET, 'push', pushPayload('devsapp/fc', 'main', { sha: 'a'.repeat(40), pusher: 'alice' }));
    const r = await postDelivery(`${url}/webhook`, d);
    assert.equal(r.status, 202);
    assert.equal(r.body.delivery, d.guid);
    assert.ok(queued.includes(r.body.id));
    // Durable: a second connection to the database file sees it.
    const other = new BuildQueue(openDatabase(join(dir, 'q.db')));
    const build = other.get(r.body.id)!;
    other.db.close();
    assert.equal(build.state, 'queued');
    const { changes, ...trigger } = build.trigger as Extract<typeof build.trigger, { kind: 'push' }>;
    assert.deepEqual(trigger, { kind: 'push', repo: 'devsapp/fc', ref: 'refs/heads/main', sha: 'a'.repeat(40), pusher: 'alice', delivery: d.guid });
    assert.equal(changes?.complete, false, 'a new branch (before = 000…) has no usable change list');
  });

  it('records what the push changed, and skips a push that touches no docs', async () => {
    const before = 'b'.repeat(40);
    const docs = await signedDelivery(
      SECRET,
      'push',
      pushPayload('devsapp/fc', 'main', {
        before,
        commits: [
          { modified: ['docs/a.md'], added: ['README.md'] },
          { removed: ['docs/old.md'], added: ['docs/新.md'] },
        ],
      }),
    );
    const r1 = await postDelivery(`${url}/webhook`, docs);
    assert.equal(r1.status, 202);
    const t = queue.get(r1.body.id)!.trigger as Extract<BuildRecord['trigger'], { kind: 'push' }>;
    assert.deepEqual(
      { added: t.changes!.added, modified: t.changes!.modified, removed: t.changes!.removed, complete: t.changes!.complete, before: t.changes!.before },
      { added: ['README.md', 'docs/新.md'], modified: ['docs/a.md'], removed: ['docs/old.md'], complete: true, before },
    );
    const readmeOnly = await signedDelivery(
      SECRET,
      'push',
      pushPayload('devsapp/fc', 'main', { before, commits: [{ modified: ['README.md', 'src/index.ts'] }] }),
    );
    const r2 = await postDelivery(`${url}/webhook`, readmeOnly);
    assert.equal(r2.status, 202);
    assert.equal(r2.body.skipped, true);
    assert.match(r2.body.reason, /no file under the docs folders \(docs\/\) changed; touched: README\.md, src\/index\.ts/);
    const forced = await signedDelivery(SECRET, 'push', pushPayload('devsapp/fc', 'main', { before, forced: true, commits: [{ modified: ['README.md'] }] }));
    const r3 = await postDelivery(`${url}/webhook`, forced);
    assert.equal(r3.status, 202);
    assert.equal(r3.body.skipped, undefined, 'a forced push may have rewritten docs: built');
  });

  it('accepts the form-encoded content type', async () => {
    const d = await signedDelivery(SECRET, 'push', pushPayload('devsapp/sae', 'release'), { form: true });
    const r = await postDelivery(`${url}/webhook`, d);
    assert.equal(r.status, 202);
    assert.equal(queue.get(r.body.id)?.state, 'queued');
  });

  it('answers a repeated delivery id with 200 duplicate and builds nothing new', async () => {
    const d = await signedDelivery(SECRET, 'push', pushPayload('devsapp/fc', 'main'));
    const first = await postDelivery(`${url}/webhook`, d);
    const before = queue.list(500).length;
    const again = await postDelivery(`${url}/webhook`, d);
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    assert.equal(again.body.id, first.body.id);
    assert.equal(queue.list(500).length, before);
  });

  it('skips untracked repos, branches, tags, deletions and other events with 202 and a reason', async () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['push', pushPayload('someone/else', 'main'), /not in the sources file/],
      ['push', pushPayload('devsapp/fc', 'feature'), /branch feature is not tracked/],
      ['push', pushPayload('devsapp/sae', 'main'), /not tracked.*release/],
      ['push', { ...pushPayload('devsapp/fc', 'main'), ref: 'refs/tags/v1' }, /not a branch/],
      ['push', pushPayload('devsapp/fc', 'main', { deleted: true }), /deleted/],
      ['issues', { action: 'opened' }, /does not trigger builds/],
    ];
    for (const [event, payload, reason] of cases) {
      const d = await signedDelivery(SECRET, event, payload);
      const r = await postDelivery(`${url}/webhook`, d);
      assert.equal(r.status, 202, `${event} ${reason}`);
      assert.equal(r.body.skipped, true);
      assert.match(r.body.reason, reason);
      if (r.body.id) assert.equal(queue.get(r.body.id)?.state, 'skipped');
      const row = queue.listDeliveries(500).find((x) => x.guid === d.guid);
      assert.equal(row?.outcome, 'skipped');
    }
  });

  it('answers ping with 200', async () => {
    const d = await signedDelivery(SECRET, 'ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    const r = await postDelivery(`${url}/webhook`, d);
    assert.equal(r.status, 200);
  });

  it('refuses bad input with the right status and queues nothing', async () => {
    const good = await signedDelivery(SECRET, 'push', pushPayload('devsapp/fc', 'main'));
    const count = () => queue.list(500).length;
    const start = count();
    const send = (headers: Record<string, string>, body: string = good.body) =>
      fetch(`${url}/webhook`, { method: 'POST', headers, body }).then((r) => r.status);
    assert.equal(await send({ ...good.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` }), 401);
    const { 'x-hub-signature-256': _, ...unsigned } = good.headers;
    assert.equal(await send(unsigned), 401);
    assert.equal(await send({ ...good.headers, 'x-hub-signature-256': 'sha1=abc' }), 401);
    assert.equal(await send(good.headers, `${good.body} `), 401, 'one extra byte breaks the signature');
    const { 'x-github-event': __, ...noEvent } = good.headers;
    assert.equal(await send(noEvent), 400);
    const { 'x-github-delivery': ___, ...noGuid } = good.headers;
    assert.equal(await send(noGuid), 400);
    assert.equal(await send({ ...good.headers, 'content-type': 'text/plain' }), 415);
    const broken = await signedDelivery(SECRET, 'push', {});
    assert.equal(await send(broken.headers, '{"other": 1}'), 401, 'body signed for another payload');
    const { sign } = await import('@octokit/webhooks-methods');
    assert.equal(await send({ ...broken.headers, 'x-hub-signature-256': await sign(SECRET, '{not json') }, '{not json'), 400);
    assert.equal(await send({ ...broken.headers, 'x-hub-signature-256': await sign(SECRET, '{}') }, '{}'), 400, 'push without repository');
    const huge = 'x'.repeat(1024 * 1024 + 1);
    assert.equal(await send({ ...good.headers, 'x-hub-signature-256': await sign(SECRET, huge) }, huge), 413);
    assert.equal((await fetch(`${url}/webhook`)).status, 405);
    assert.equal(count(), start, 'nothing was queued');
    // …but the ledger remembers what was refused and why (no secret, no body).
    const { rejected } = (await (await fetch(`${url}/deliveries`)).json()) as { rejected: Array<{ status: number; reason: string; guid?: string }> };
    assert.ok(rejected.some((r) => r.status === 401 && r.guid === good.guid && /signature/.test(r.reason)));
    assert.ok(rejected.some((r) => r.status === 415));
    assert.ok(rejected.some((r) => r.status === 413));
  });

  it('counts redeliveries in the ledger', async () => {
    const d = await signedDelivery(SECRET, 'push', pushPayload('devsapp/fc', 'main'));
    await postDelivery(`${url}/webhook`, d);
    await postDelivery(`${url}/webhook`, d);
    await postDelivery(`${url}/webhook`, d);
    const { deliveries } = (await (await fetch(`${url}/deliveries`)).json()) as { deliveries: Array<{ guid: string; duplicates?: number; outcome: string }> };
    const row = deliveries.find((x) => x.guid === d.guid)!;
    assert.equal(row.duplicates, 2);
    assert.equal(row.outcome, 'queued');
  });

  it('refuses every delivery when no secret is configured, saying why', async () => {
    const handler = createWebhookHandler({ secret: undefined, sources, queue });
    const d = await signedDelivery(SECRET, 'push', pushPayload('devsapp/fc', 'main'));
    const res = await handler(new Request('http://x/webhook', { method: 'POST', headers: d.headers, body: d.body }));
    assert.equal(res.status, 503);
    assert.match((await res.json()).hint, /GITHUB_WEBHOOK_SECRET/);
  });
});
