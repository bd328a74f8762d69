/**
 * The custom-runtime contract pieces both functions share: the port from FC_CUSTOM_LISTEN_PORT, no
 * idle timeout on FC's kept-alive connections (a configured one only when asked), sane header and
 * request timeouts, and each invocation's own STS credentials from FC's x-fc-* headers.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createBuilderFunction } from '../../functions/builder/createBuilderFunction.ts';
import { newBuildId } from '../../functions/core/queue/BuildQueue.ts';
import type { AcsCredentials } from '../../functions/fc/signAcs3.ts';
import { keepAliveTimeoutMs, listenPort, serveFunction } from '../../functions/fc/serveFunction.ts';

describe('FC custom runtime contract', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fc-runtime-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('listens on FC_CUSTOM_LISTEN_PORT, 9000 by default, and refuses a bad value with the fix', () => {
    assert.equal(listenPort({}), 9000);
    assert.equal(listenPort({ FC_CUSTOM_LISTEN_PORT: '7001' }), 7001);
    assert.equal(listenPort({ FC_SERVER_PORT: '7002' }), 9000, "FC_SERVER_PORT is not FC's variable");
    assert.throws(() => listenPort({ FC_CUSTOM_LISTEN_PORT: 'abc' }), /FC_CUSTOM_LISTEN_PORT "abc" is not a port number/);
    assert.equal(keepAliveTimeoutMs({}), 0);
    assert.equal(keepAliveTimeoutMs({ KEEP_ALIVE_TIMEOUT_MS: '1500' }), 1500);
    assert.throws(() => keepAliveTimeoutMs({ KEEP_ALIVE_TIMEOUT_MS: '-1' }), /KEEP_ALIVE_TIMEOUT_MS "-1"/);
  });

  it('never closes an idle connection itself; headers must still arrive within a minute', async () => {
    const served = await serveFunction(async () => new Response('ok'), { port: 0, host: '127.0.0.1', log: () => {} });
    try {
      assert.equal(served.server.keepAliveTimeout, 0, 'FC: disable the idle timeout or set it above 15 minutes');
      assert.equal(served.server.headersTimeout, 60_000);
      assert.equal(served.server.requestTimeout, 0, 'a long build is limited by the function timeout, not the server');
      assert.equal(served.server.timeout, 0);
      assert.equal(await (await fetch(served.url)).text(), 'ok');
    } finally {
      await served.close();
    }
  });

  it("gives code below the builder's handler the invocation's own credentials, else the environment's", async () => {
    mkdirSync(join(dir, 'docs'), { recursive: true });
    writeFileSync(join(dir, 'docs', 'readme.md'), '# Docs\n');
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - id: docs\n    title: Docs\n    path: docs\n');
    const seen: Array<AcsCredentials | undefined> = [];
    const env = {
      SOURCES_FILE: join(dir, 'sources.yaml'),
      DATA_DIR: join(dir, 'data'),
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.env',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'env-token',
    };
    const fn = createBuilderFunction({
      env,
      cwd: dir,
      log: () => {},
      steps: {
        fetchSources: async () => {
          seen.push(fn.credentials());
          throw new Error('stop here');
        },
      },
    });
    const job = () =>
      JSON.stringify({
        build: { id: newBuildId(Date.now()), state: 'queued', trigger: { kind: 'manual', full: true }, createdAt: new Date().toISOString(), attempts: 0 },
      });
    const headers = {
      'x-fc-request-id': 'r1',
      'x-fc-access-key-id': 'STS.header',
      'x-fc-access-key-secret': 'header-secret',
      'x-fc-security-token': 'header-token',
    };
    const withHeaders = await fn.handler(new Request('http://fc/invoke', { method: 'POST', headers, body: job() }));
    assert.equal(withHeaders.headers.get('x-fc-status'), '404');
    await fn.handler(new Request('http://fc/invoke', { method: 'POST', body: job() }));
    assert.deepEqual(seen, [
      { accessKeyId: 'STS.header', accessKeySecret: 'header-secret', securityToken: 'header-token' },
      { accessKeyId: 'STS.env', accessKeySecret: 'env-secret', securityToken: 'env-token' },
    ]);
    assert.equal(fn.credentials()?.accessKeyId, 'STS.env', 'outside an invocation');
  });
});
