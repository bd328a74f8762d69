/**
 * The builder function with DEPLOY_TARGET=oss, as FC invokes it: the job's build (real Astro build)
 * is published to the OSS stand-in with the role's credentials from FC's per-request x-fc-* headers,
 * its record is kept in the bucket (no NAS), and the website endpoint serves the new page.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createBuilderFunction } from '../../functions/builder/createBuilderFunction.ts';
import { createOssObjects } from '../../functions/core/deploy/oss/createOssObjects.ts';
import { createOssBuildStore } from '../../functions/fc/createOssBuildStore.ts';
import { manualBuildJob } from '../support/manualBuildJob.ts';
import { type OssStandIn, startOssStandIn } from '../support/ossStandIn/startOssStandIn.ts';

const KEY = { id: 'STS.builder-role', secret: 'builder-role-secret-0123', token: 'builder-role-token' };
const FC_HEADERS = { 'x-fc-access-key-id': KEY.id, 'x-fc-access-key-secret': KEY.secret, 'x-fc-security-token': KEY.token };

describe('builder function publishing to OSS', () => {
  let dir: string;
  let oss: OssStandIn;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-builder-oss-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'readme.md'), '# Handbook\n\nPublished to OSS by the builder. 中文内容。\n');
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: handbook\n    title: Handbook\n    path: docs\n');
    oss = await startOssStandIn({ bucket: 'docs-site', accounts: { [KEY.id]: { secret: KEY.secret, securityToken: KEY.token } } });
  });
  after(async () => {
    await oss?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("builds, uploads to the bucket with the request's credentials, records the build there; without credentials the attempt fails for FC to retry", async () => {
    const env = {
      SOURCES_FILE: join(dir, 'sources.yaml'),
      DATA_DIR: join(dir, 'tmp-data'),
      DEPLOY_TARGET: 'oss',
      OSS_BUCKET: 'docs-site',
      OSS_REGION: 'cn-hangzhou',
      OSS_ENDPOINT: oss.url,
      NOTIFY_ON: 'none',
    };
    const logs: string[] = [];
    const builder = createBuilderFunction({ env, cwd: dir, log: (l) => logs.push(l) });
    const job = manualBuildJob();
    const invoke = (headers: Record<string, string>) =>
      builder.handler(
        new Request('http://127.0.0.1/invoke', { method: 'POST', headers: { 'x-fc-request-id': 'req-1', ...headers }, body: JSON.stringify(job) }),
      );

    const refused = await invoke({});
    assert.equal(refused.status, 404, 'FC counts it as failed and retries');
    assert.equal(refused.headers.get('x-fc-status'), '404');
    assert.ok(
      logs.some((l) => /no credentials for OSS: give the builder function a role/.test(l)),
      logs.join('\n'),
    );

    const ok = await invoke(FC_HEADERS);
    const body = (await ok.json()) as { state: string; release: string };
    assert.equal(ok.status, 200, JSON.stringify(body));
    assert.equal(body.state, 'succeeded');
    const page = await fetch(`${oss.websiteUrl}/handbook/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /中文内容/);
    const store = createOssBuildStore(
      createOssObjects({ kind: 'oss', bucket: 'docs-site', region: 'cn-hangzhou', endpoint: oss.url }, () => ({
        accessKeyId: KEY.id,
        accessKeySecret: KEY.secret,
        securityToken: KEY.token,
      })),
    );
    const record = (await store.get(job.build.id))!;
    // The refused invocation could not even read the store, so it never counted as an attempt.
    assert.deepEqual([record.state, record.attempts, record.release], ['succeeded', 1, body.release]);
    assert.ok(
      logs.some((l) => l.includes('oss://docs-site: release')),
      'the deploy is logged',
    );
    assert.ok(!logs.some((l) => l.includes(KEY.secret) || l.includes(KEY.token)), 'no secret in the log');
  });
});
