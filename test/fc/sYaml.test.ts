/**
 * s.yaml, resolved as Serverless Devs resolves it (`${env()}`, `${config()}`, `${vars.*}`, `extend`),
 * validated against the fc3 component's own schema (test/fixtures/fc3/) and checked for what the
 * deployment relies on. The functions themselves are started from their built packages by the FC
 * emulator (test/fc/emulator*.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { resolveSYaml } from '../../scripts/fc/resolveSYaml.ts';
import { fc3PropsErrors } from '../support/fc3PropsErrors.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const raw = readFileSync(join(ROOT, 's.yaml'), 'utf8');
const ACCOUNT = '1234567890123456';
const resolved = resolveSYaml(raw, { env: {}, config: { AccountID: ACCOUNT } });
const webhook = resolved.resources['docs-sync-webhook']!.props;
const builder = resolved.resources['docs-sync-builder']!.props;
const SECRETS = ['GITHUB_WEBHOOK_SECRET', 'GITHUB_TOKEN', 'REBUILD_TOKEN', 'STATUS_TOKEN', 'DINGTALK_WEBHOOK_URL', 'DINGTALK_SECRET', 'SMTP_URL'];
/** Every variable loadConfig reads, from its schema. */
const CONFIG_NAMES = [...readFileSync(join(ROOT, 'functions/core/config/loadConfig.ts'), 'utf8').matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
/** The raw `${env('NAME'…)}` text of an environment variable in a resource, before substitution. */
const rawEnv = (resource: string, name: string): string | undefined => {
  const section = raw.slice(raw.indexOf(`  ${resource}:`));
  return new RegExp(`^ +${name}: (.+)$`, 'm').exec(section)?.[1];
};

describe('s.yaml', () => {
  it('is valid for the fc3 component: its schema, and no key it does not know', () => {
    assert.equal(resolved.name, 'docs-sync');
    for (const [name, r] of Object.entries(resolved.resources)) {
      assert.equal(r.component, 'fc3');
      assert.deepEqual(fc3PropsErrors(r.props), [], name);
    }
  });

  it('the schema check catches what s deploy would let through', () => {
    const broken = structuredClone(builder);
    broken.asyncInvokeConfig.maxAsyncRetryAttempts = 9;
    broken.asyncInvokeConfg = {};
    broken.customRuntimeConfig.port = '9000';
    delete broken.code;
    const errors = fc3PropsErrors(broken).join('\n');
    assert.match(errors, /maxAsyncRetryAttempts: must be <= 8/);
    assert.match(errors, /asyncInvokeConfg: not a key fc3 knows/);
    assert.match(errors, /port: must be number/);
    assert.match(errors, /must have required property 'code'/);
  });

  it('resolves ${env()} with defaults, ${config()} and ${vars.*} like Serverless Devs, and refuses unknown vars', () => {
    const r = resolveSYaml(raw, { env: { DOCS_SYNC_REGION: 'cn-shanghai', OSS_BUCKET: 'my-docs' }, config: { AccountID: ACCOUNT } });
    const b = r.resources['docs-sync-builder']!.props;
    assert.equal(b.region, 'cn-shanghai', 'template region from extend');
    assert.equal(b.environmentVariables.OSS_BUCKET, 'my-docs');
    assert.equal(b.asyncInvokeConfig.destinationConfig.onFailure.destination, `acs:fc:cn-shanghai:${ACCOUNT}:functions/docs-sync-builder`);
    assert.equal(r.resources['docs-sync-webhook']!.props.layers[0], 'acs:fc:cn-shanghai:official:layers/Nodejs22/versions/2');
    assert.throws(() => resolveSYaml('name: x\nresources:\n  a:\n    component: fc3\n    props:\n      x: ${vars.nope}\n'), /vars has no "nope"/);
    const t = resolveSYaml(
      "name: t\nvars:\n  v: ${env.HOME_REGION}\ntemplate:\n  base:\n    layers: [a, b]\n    env: { A: '1', B: '2' }\nresources:\n  r:\n    component: fc3\n    extend: { name: base }\n    props:\n      layers: [c]\n      env: { B: '${vars.v}' }\n      plain: ${env('MISSING')}\n",
      { env: { HOME_REGION: 'cn-beijing' } },
    );
    assert.deepEqual(t.resources.r!.props, { layers: ['c'], env: { A: '1', B: 'cn-beijing' }, plain: '' }, 'objects merged, arrays replaced, unset env empty');
    assert.throws(() => resolveSYaml(raw, { env: {} }), /config\('AccountID'\)/);
  });

  it('has two functions with separate code packages written by npm run package:fc', () => {
    assert.notEqual(webhook.functionName, builder.functionName);
    assert.equal(webhook.code, './dist/fc/webhook');
    assert.equal(builder.code, './dist/fc/builder');
    for (const p of [webhook, builder]) {
      assert.match(p.runtime, /^custom\.debian1[0-2]$/);
      assert.equal(p.customRuntimeConfig.port, 9000, 'FC_CUSTOM_LISTEN_PORT, default 9000');
    }
  });

  it("runs the webhook bundle with the Node of FC's official Node.js 22 layer, without VPC or NAS", () => {
    assert.deepEqual(webhook.layers, [`acs:fc:${webhook.region}:official:layers/Nodejs22/versions/2`]);
    assert.deepEqual(webhook.customRuntimeConfig.command, ['/opt/nodejs22/bin/node']);
    assert.deepEqual(webhook.customRuntimeConfig.args, ['/code/index.mjs']);
    assert.match(webhook.environmentVariables.PATH, /^\/opt\/nodejs22\/bin:/, 'the layer README: its bin first on PATH');
    for (const key of ['vpcConfig', 'nasConfig', 'ossMountConfig']) assert.equal(webhook[key], undefined, key);
    assert.equal(webhook.environmentVariables.SOURCES_FILE, 'sources.json');
  });

  it('runs the builder with the one Node inside its package, on the entry file', () => {
    assert.deepEqual(builder.customRuntimeConfig.command, ['/code/node/bin/node']);
    const entry = builder.customRuntimeConfig.args.at(-1);
    assert.equal(entry, '/code/functions/builder/server.ts');
    assert.equal(builder.layers, undefined);
  });

  it('gives the webhook an anonymous HTTP trigger and a short timeout; the builder only the reconcile timer', () => {
    assert.equal(webhook.triggers.length, 1);
    const t = webhook.triggers[0];
    assert.equal(t.triggerType, 'http');
    assert.equal(t.triggerConfig.authType, 'anonymous');
    assert.deepEqual([...t.triggerConfig.methods].sort(), ['GET', 'HEAD', 'POST']);
    assert.ok(webhook.timeout <= 60);
    // The builder's only trigger: FC's timer, for the reconcile sweep (functions/builder/reconcileOnTimer.ts).
    assert.equal(builder.triggers.length, 1);
    assert.equal(builder.triggers[0].triggerType, 'timer');
    assert.match(builder.triggers[0].triggerConfig.cronExpression, /^@every \d+m$/);
    assert.equal(builder.triggers[0].triggerConfig.enable, true);
  });

  it('runs one build at a time with FC retries ending at the builder itself', () => {
    assert.equal(builder.instanceConcurrency, 1);
    assert.equal(builder.concurrencyConfig.reservedConcurrency, 1);
    assert.ok(builder.memorySize >= 3072);
    assert.ok(builder.timeout >= 900);
    assert.ok(Number(builder.environmentVariables.BUILD_TIMEOUT_SECONDS) < builder.timeout, 'an attempt stops (and is reported) before FC kills it');
    for (const p of [webhook, builder]) {
      const ratio = p.memorySize / 1024 / p.cpu;
      assert.ok(ratio >= 1 && ratio <= 4, `${p.functionName}: vCPU to GB memory between 1:1 and 1:4`);
      assert.equal(p.memorySize % 64, 0);
    }
    const a = builder.asyncInvokeConfig;
    assert.equal(a.asyncTask, true, 'task mode: FC de-duplicates by task id');
    assert.equal(a.maxAsyncRetryAttempts, 3);
    assert.ok(a.maxAsyncEventAgeInSeconds >= 3600);
    assert.equal(a.destinationConfig.onFailure.destination, `acs:fc:${builder.region}:${ACCOUNT}:functions/${builder.functionName}`);
    assert.equal(webhook.environmentVariables.BUILDER_FUNCTION_NAME, builder.functionName);
  });

  it("gives each function its own role and collects both functions' logs", () => {
    assert.match(webhook.role, new RegExp(`^acs:ram::${ACCOUNT}:role/docs-sync-webhook$`));
    assert.match(builder.role, new RegExp(`^acs:ram::${ACCOUNT}:role/docs-sync-builder$`));
    for (const p of [webhook, builder]) assert.equal(p.logConfig, 'auto', `${p.functionName}: s logs needs logConfig`);
  });

  it("publishes to OSS named from the deployer's environment", () => {
    assert.equal(builder.environmentVariables.DEPLOY_TARGET, 'oss');
    assert.equal(webhook.environmentVariables.DEPLOY_TARGET, 'oss', 'the webhook reads and writes build records in the same bucket');
    for (const name of ['OSS_BUCKET', 'OSS_REGION', 'OSS_ENDPOINT', 'CDN_DOMAIN', 'CDN_ENDPOINT'])
      assert.match(rawEnv('docs-sync-builder', name) ?? '', new RegExp(`^\\$\\{env\\('${name}'`), name);
  });

  it("takes every secret from the deployer's environment, gives each function only the ones it needs, and contains none", () => {
    assert.ok(CONFIG_NAMES.includes('GITHUB_WEBHOOK_SECRET') && CONFIG_NAMES.length >= 14, CONFIG_NAMES.join());
    const names = new Set([...Object.keys(webhook.environmentVariables), ...Object.keys(builder.environmentVariables)]);
    // Not on FC: PORT (FC's own), and the PR preview settings (previews need the local server).
    for (const name of CONFIG_NAMES.filter((n) => !/^(PORT|PREVIEWS?(_[A-Z]+)?)$/.test(n))) assert.ok(names.has(name), `${name} is configured`);
    for (const [resource, p] of [
      ['docs-sync-webhook', webhook],
      ['docs-sync-builder', builder],
    ] as const) {
      for (const name of Object.keys(p.environmentVariables as Record<string, string>)) {
        assert.match(name, /^[A-Za-z][A-Za-z0-9_]*$/);
        assert.ok(!name.startsWith('FC_'), `${name}: FC reserves FC_* names`);
        if (SECRETS.includes(name))
          assert.match(rawEnv(resource, name) ?? '', new RegExp(`^\\$\\{env\\('${name}'(, '')?\\)\\}$`), `${name} must be \${env('${name}')}`);
      }
    }
    assert.deepEqual(
      ['GITHUB_WEBHOOK_SECRET', 'REBUILD_TOKEN'].filter((n) => n in builder.environmentVariables),
      [],
    );
    assert.deepEqual(
      ['GITHUB_TOKEN', 'DINGTALK_WEBHOOK_URL', 'DINGTALK_SECRET', 'SMTP_URL'].filter((n) => n in webhook.environmentVariables),
      [],
    );
    for (const pattern of [
      /access_token=/i,
      /\bSEC[0-9a-f]{16,}/,
      /\bghp_|github_pat_/,
      /smtps?:\/\/[^$\s'"]*:[^@\s'"]+@/,
      /\bLTAI[0-9A-Za-z]{8,}/,
      /BEGIN [A-Z ]*PRIVATE KEY/,
    ]) {
      assert.doesNotMatch(raw, pattern);
    }
  });
});
