/**
 * Build records and the delivery ledger in the OSS bucket (DEPLOY_TARGET=oss): the store round-trips
 * records through the OSS stand-in (V4-signed by ali-oss), never overwrites on create, and the HTTP
 * function answers GET /builds, /builds/<id>, /_builds/ and /deliveries from it with FC's
 * per-request credentials — no NAS.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOssObjects } from '../../functions/core/deploy/oss/createOssObjects.ts';
import { newBuildId } from '../../functions/core/queue/BuildQueue.ts';
import type { BuildRecord } from '../../functions/core/types.ts';
import { createOssBuildStore } from '../../functions/fc/createOssBuildStore.ts';
import { createWebhookFunction } from '../../functions/webhook/createWebhookFunction.ts';
import { type OssStandIn, startOssStandIn } from '../support/ossStandIn/startOssStandIn.ts';

const KEY = { id: 'STS.builds', secret: 'builds-secret-0123456789', token: 'builds-sts-token' };
const credentials = () => ({ accessKeyId: KEY.id, accessKeySecret: KEY.secret, securityToken: KEY.token });

function record(at: number, delivery: string, state: BuildRecord['state'] = 'queued'): BuildRecord {
  return {
    id: newBuildId(at),
    state,
    trigger: { kind: 'push', repo: 'acme/widgets', ref: 'refs/heads/main', sha: 'a'.repeat(40), pusher: 'ann', delivery },
    createdAt: new Date(at).toISOString(),
    attempts: 0,
    phases: {},
    sources: [],
  };
}

describe('build records on OSS', () => {
  let oss: OssStandIn;
  before(async () => {
    oss = await startOssStandIn({ bucket: 'docs-site', accounts: { [KEY.id]: { secret: KEY.secret, securityToken: KEY.token } } });
  });
  after(() => oss?.close());
  const store = () => createOssBuildStore(createOssObjects({ kind: 'oss', bucket: 'docs-site', region: 'cn-hangzhou', endpoint: oss.url }, credentials));

  it('round-trips records, refuses to overwrite on create, lists newest first, derives deliveries, prunes', async () => {
    const s = store();
    const t = Date.parse('2026-12-01T10:00:00Z');
    const [first, second, third] = [record(t, 'd-1'), record(t + 1000, 'd-2'), record(t + 2000, 'd-3', 'skipped')];
    assert.equal(await s.create(first), true);
    assert.equal(await s.create({ ...first, state: 'failed' }), false, 'x-oss-forbid-overwrite: the first record stays');
    assert.equal((await s.get(first.id))!.state, 'queued');
    assert.equal(oss.log.filter((e) => e.code === 'FileAlreadyExists').length, 1);
    await s.create(second);
    await s.create(third);
    await s.save({ ...first, state: 'succeeded', attempts: 1 });
    assert.deepEqual(await s.get(first.id), { ...first, state: 'succeeded', attempts: 1 });
    assert.equal(await s.get('../../etc/passwd'), undefined);
    assert.equal(await s.get('no-such-build'), undefined);
    assert.deepEqual(
      (await s.list()).map((b) => b.id),
      [third.id, second.id, first.id],
    );
    assert.deepEqual(
      (await s.listDeliveries()).map((d) => [d.guid, d.outcome]),
      [
        ['d-3', 'skipped'],
        ['d-2', 'queued'],
        ['d-1', 'queued'],
      ],
    );
    assert.equal(await s.prune(2), 1);
    assert.deepEqual(
      (await s.list()).map((b) => b.id),
      [third.id, second.id],
    );
    const stored = oss.bucket.objects.get(`_docs-sync/builds/${second.id}.json`)!;
    assert.equal(stored.acl, 'private', 'build records are not served by the website endpoint');
    assert.equal((await fetch(`${oss.websiteUrl}/_docs-sync/builds/${second.id}.json`)).status, 403);
  });

  it("the HTTP function serves /builds, /_builds/ and /deliveries from the bucket with FC's per-request credentials", async () => {
    const s = store();
    const r = record(Date.parse('2026-12-02T10:00:00Z'), 'd-http', 'succeeded');
    await s.create(r);
    const env = {
      DEPLOY_TARGET: 'oss',
      OSS_BUCKET: 'docs-site',
      OSS_REGION: 'cn-hangzhou',
      OSS_ENDPOINT: oss.url,
      DATA_DIR: join(mkdtempSync(join(tmpdir(), 'oss-builds-')), 'no-nas'),
    };
    const fn = createWebhookFunction({ env, log: () => {} });
    const headers = { 'x-fc-access-key-id': KEY.id, 'x-fc-access-key-secret': KEY.secret, 'x-fc-security-token': KEY.token };
    const get = (path: string) => fn.handler(new Request(`http://fc.local${path}`, { headers }));
    const builds = (await (await get('/builds')).json()) as { builds: BuildRecord[] };
    assert.equal(builds.builds[0]!.id, r.id);
    assert.equal(((await (await get(`/builds/${r.id}`)).json()) as BuildRecord).state, 'succeeded');
    assert.match(await (await get('/_builds/')).text(), new RegExp(r.id));
    const ledger = (await (await get('/deliveries')).json()) as { deliveries: Array<{ guid: string }> };
    assert.equal(ledger.deliveries[0]!.guid, 'd-http');
    const refused = await fn.handler(new Request('http://fc.local/builds', { headers: { ...headers, 'x-fc-access-key-secret': 'wrong' } }));
    assert.equal(refused.status, 500, 'a request OSS refuses is an error, not an empty list');
  });
});
