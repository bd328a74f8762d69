/** DEPLOY_TARGET and the OSS settings: local by default, validated once with errors naming field and fix. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../functions/core/config/ConfigError.ts';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';

const cwd = mkdtempSync(join(tmpdir(), 'deploy-target-'));
const issues = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ cwd, env });
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.issues;
  }
  assert.fail('expected a ConfigError');
};

describe('deploy target settings', () => {
  it('defaults to the local releases folder; OSS settings alone do not switch it', () => {
    assert.deepEqual(loadConfig({ cwd, env: {} }).deploy, { kind: 'local' });
    assert.deepEqual(loadConfig({ cwd, env: { OSS_BUCKET: 'docs-site', OSS_REGION: 'cn-hangzhou' } }).deploy, { kind: 'local' });
  });

  it('reads the OSS target: region with or without "oss-", endpoint and CDN trimmed', () => {
    const env = {
      DEPLOY_TARGET: 'OSS',
      OSS_BUCKET: 'docs-site',
      OSS_REGION: 'oss-cn-shanghai',
      OSS_ENDPOINT: 'https://oss-cn-shanghai-internal.aliyuncs.com/',
      CDN_DOMAIN: 'Docs.Example.com',
      CDN_ENDPOINT: 'https://cdn.aliyuncs.com',
    };
    assert.deepEqual(loadConfig({ cwd, env }).deploy, {
      kind: 'oss',
      bucket: 'docs-site',
      region: 'cn-shanghai',
      endpoint: 'https://oss-cn-shanghai-internal.aliyuncs.com',
      cdnDomain: 'docs.example.com',
      cdnEndpoint: 'https://cdn.aliyuncs.com',
    });
  });

  it('names each bad field and its fix', () => {
    const found = issues({
      DEPLOY_TARGET: 's3',
      OSS_BUCKET: 'Docs_Site',
      OSS_REGION: 'hangzhou',
      OSS_ENDPOINT: 'oss.example.com',
      CDN_DOMAIN: 'https://docs.example.com/',
    });
    assert.equal(found.length, 5);
    assert.match(found[0]!, /^DEPLOY_TARGET: must be "local" .* or "oss"/);
    assert.match(found[1]!, /^OSS_BUCKET: must be a bucket name: 3-63 lower-case letters, digits and "-", e\.g\. docs-sync-site/);
    assert.match(found[2]!, /^OSS_REGION: must be a region id, e\.g\. cn-hangzhou/);
    assert.match(found[3]!, /^OSS_ENDPOINT: must be a URL/);
    assert.match(found[4]!, /^CDN_DOMAIN: must be the CDN domain name only, without https:\/\//);
  });

  it('requires the bucket and region with DEPLOY_TARGET=oss', () => {
    assert.deepEqual(issues({ DEPLOY_TARGET: 'oss' }), [
      'OSS_BUCKET: is required with DEPLOY_TARGET=oss: the bucket the site is published to, e.g. docs-sync-site',
      "OSS_REGION: is required with DEPLOY_TARGET=oss: the bucket's region, e.g. cn-hangzhou",
    ]);
  });
});
