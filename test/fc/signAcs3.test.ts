import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { signAcs3 } from '../../functions/fc/signAcs3.ts';

describe('signAcs3 (ACS3-HMAC-SHA256)', () => {
  it("reproduces the signature published in Alibaba Cloud's V3 signature documentation", () => {
    // The example request of "V3 request body & signature mechanism" / "ROA style request body &
    // signature mechanism" (help.aliyun.com): POST / with ImageId and RegionId query parameters, an
    // empty body, x-acs-date 2023-10-26T09:01:01Z, nonce d410180a5abf7fe235dd9b74aca91fc0, signed with
    // the placeholder credentials YourAccessKeyId / YourAccessKeySecret.
    const url = new URL('https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai');
    const headers = signAcs3(
      { method: 'POST', url, headers: {}, body: '', action: 'RunInstances', version: '2014-05-26' },
      { accessKeyId: 'YourAccessKeyId', accessKeySecret: 'YourAccessKeySecret' },
      new Date('2023-10-26T09:01:01Z'),
      'd410180a5abf7fe235dd9b74aca91fc0',
    );
    assert.equal(headers['x-acs-content-sha256'], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(
      headers.authorization,
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804',
    );
  });

  it("signs the body digest, content-type and STS token but not FC's own x-fc-* headers", () => {
    const body = '{"build":{"id":"x"}}';
    const headers = signAcs3(
      {
        method: 'POST',
        url: new URL('https://1234.cn-hangzhou.fc.aliyuncs.com/2023-03-30/functions/docs-sync-builder/invocations'),
        headers: { 'Content-Type': 'application/json', 'x-fc-invocation-type': 'Async' },
        body,
        action: 'InvokeFunction',
        version: '2023-03-30',
      },
      { accessKeyId: 'STS.id', accessKeySecret: 'secret', securityToken: 'token' },
    );
    assert.equal(headers['x-acs-content-sha256'], createHash('sha256').update(body).digest('hex'));
    assert.equal(headers['x-acs-security-token'], 'token');
    assert.match(headers['x-acs-date']!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const signed = /SignedHeaders=([^,]+)/.exec(headers.authorization!)![1]!.split(';');
    assert.deepEqual(signed, [
      'content-type',
      'host',
      'x-acs-action',
      'x-acs-content-sha256',
      'x-acs-date',
      'x-acs-security-token',
      'x-acs-signature-nonce',
      'x-acs-version',
    ]);
    assert.ok(!headers.authorization!.includes('secret'));
  });
});
