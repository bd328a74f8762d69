/**
 * s.yaml, read as Serverless Devs reads it (edition 3.0.0: `template` + `extend` merged deeply,
 * arrays replaced; `${vars.*}` substituted), checked for what the deployment relies on — and the
 * start commands it gives FC are run exactly as written (with /code mapped to this checkout).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, lstatSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const raw = readFileSync(join(ROOT, 's.yaml'), 'utf8');
const doc = parse(raw) as any;

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
function merge(base: any, over: any): any {
  if (!isObject(base) || !isObject(over)) return structuredClone(over);
  const out: Record<string, any> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k], v) : structuredClone(v);
  return out;
}
function substituteVars(value: any): any {
  if (typeof value === 'string') return value.replace(/\$\{vars\.([A-Za-z0-9_]+)\}/g, (_, name: string) => String(doc.vars[name]));
  if (Array.isArray(value)) return value.map(substituteVars);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteVars(v)]));
  return value;
}
function props(name: string): any {
  const r = doc.resources[name];
  const base = r.extend ? doc.template[r.extend.name] : {};
  assert.ok(base, `template ${r.extend?.name} exists`);
  return substituteVars(merge(base, r.props));
}

const resources = Object.entries(doc.resources as Record<string, any>);
const http = props('docs-sync-http');
const builder = props('docs-sync-builder');
const ENV_REF = /^\$\{env\('([A-Z0-9_]+)'(?:, '[^']*')?\)\}$/;
const SECRETS = ['GITHUB_WEBHOOK_SECRET', 'GITHUB_TOKEN', 'REBUILD_TOKEN', 'DINGTALK_WEBHOOK_URL', 'DINGTALK_SECRET', 'SMTP_URL'];
/** Every variable loadConfig reads, from its schema. */
const CONFIG_NAMES = [...readFileSync(join(ROOT, 'functions/core/config/loadConfig.ts'), 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);

describe('s.yaml', () => {
  it('is a Serverless Devs 3 project with exactly two fc3 functions on a custom Debian runtime', () => {
    assert.equal(String(doc.edition), '3.0.0');
    assert.deepEqual(resources.map(([, r]) => r.component), ['fc3', 'fc3']);
    for (const p of [http, builder]) {
      assert.match(p.runtime, /^custom\.debian1[0-2]$/);
      assert.equal(p.code, './');
      assert.equal(p.customRuntimeConfig.port, 9000, 'the servers listen on 9000 unless FC says otherwise');
    }
    assert.notEqual(http.functionName, builder.functionName);
  });

  it('starts each function with the Node 22 binary from node_modules and an entry file that exists', () => {
    for (const p of [http, builder]) {
      const [command, ...rest] = p.customRuntimeConfig.command;
      assert.equal(rest.length, 0);
      assert.match(command, /^\/code\//, 'FC puts the code in /code');
      const binary = join(ROOT, command.slice('/code/'.length));
      assert.ok(lstatSync(binary).isFile(), `${binary} is a file, not a link or a shim`);
      accessSync(binary, constants.X_OK);
      const head = Buffer.alloc(20);
      const fd = openSync(binary, 'r');
      readSync(fd, head, 0, 20, 0);
      closeSync(fd);
      assert.notEqual(head.subarray(0, 2).toString(), '#!', 'a real binary, not a script');
      if (process.platform === 'linux' && process.arch === 'x64') {
        assert.deepEqual([...head.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], 'an ELF executable');
        assert.equal(head.readUInt16LE(18), 0x3e, 'for x86-64, like FC');
      }
      const entry = p.customRuntimeConfig.args.at(-1);
      assert.match(entry, /^\/code\/functions\/(webhook|builder)\/server\.ts$/);
      assert.ok(lstatSync(join(ROOT, entry.slice('/code/'.length))).isFile());
    }
  });

  it('gives the HTTP function an anonymous HTTP trigger and a short timeout; the builder only the reconcile timer', () => {
    assert.equal(http.triggers.length, 1);
    const t = http.triggers[0];
    assert.equal(t.triggerType, 'http');
    assert.equal(t.triggerConfig.authType, 'anonymous');
    assert.deepEqual([...t.triggerConfig.methods].sort(), ['GET', 'HEAD', 'POST']);
    assert.ok(http.timeout <= 60);
    // The builder's only trigger: FC's timer, for the reconcile sweep (functions/builder/reconcileOnTimer.ts).
    assert.equal(builder.triggers.length, 1);
    assert.equal(builder.triggers[0].triggerType, 'timer');
    assert.match(builder.triggers[0].triggerConfig.cronExpression, /^@every \d+m$/);
    assert.equal(builder.triggers[0].triggerConfig.enable, true);
  });

  it('runs one build at a time with enough memory, a long timeout and FC retries ending at the builder itself', () => {
    assert.equal(builder.instanceConcurrency, 1);
    assert.equal(builder.concurrencyConfig.reservedConcurrency, 1);
    assert.ok(builder.memorySize >= 3072);
    assert.ok(builder.timeout >= 900);
    assert.ok(Number(builder.environmentVariables.BUILD_TIMEOUT_SECONDS) < builder.timeout, 'an attempt stops (and is reported) before FC kills it');
    for (const p of [http, builder]) {
      const ratio = p.memorySize / 1024 / p.cpu;
      assert.ok(ratio >= 1 && ratio <= 4, `${p.functionName}: vCPU to GB memory between 1:1 and 1:4`);
      assert.equal(p.memorySize % 64, 0);
    }
    const a = builder.asyncInvokeConfig;
    assert.equal(a.asyncTask, true, 'task mode: FC de-duplicates by task id');
    assert.equal(a.maxAsyncRetryAttempts, 3);
    assert.ok(a.maxAsyncEventAgeInSeconds >= 3600);
    assert.match(a.destinationConfig.onFailure.destination, new RegExp(`^acs:fc:.+:\\$\\{config\\('AccountID'\\)\\}:functions/${builder.functionName}$`));
    assert.equal(http.environmentVariables.BUILDER_FUNCTION_NAME, builder.functionName);
    assert.equal(http.role, builder.role);
    assert.match(http.role, /^acs:ram::\$\{config\('AccountID'\)\}:role\//);
  });

  it('mounts the same NAS folder in both functions, with DATA_DIR on it', () => {
    assert.deepEqual(http.nasConfig, builder.nasConfig);
    assert.deepEqual(http.vpcConfig, builder.vpcConfig);
    const mount = http.nasConfig.mountPoints[0];
    assert.equal(http.nasConfig.mountPoints.length, 1);
    for (const p of [http, builder]) assert.ok(p.environmentVariables.DATA_DIR.startsWith(`${mount.mountDir}/`));
  });

  it('takes every secret from the deployer\'s environment, gives each function only the ones it needs, and contains none', () => {
    assert.ok(CONFIG_NAMES.includes('GITHUB_WEBHOOK_SECRET') && CONFIG_NAMES.length >= 14, CONFIG_NAMES.join());
    const names = new Set([...Object.keys(http.environmentVariables), ...Object.keys(builder.environmentVariables)]);
    for (const name of CONFIG_NAMES.filter((n) => n !== 'PORT')) assert.ok(names.has(name), `${name} is configured`);
    for (const p of [http, builder]) {
      for (const [name, value] of Object.entries(p.environmentVariables as Record<string, string>)) {
        assert.match(name, /^[A-Za-z][A-Za-z0-9_]*$/);
        assert.ok(!name.startsWith('FC_'), `${name}: FC reserves FC_* names`);
        if (SECRETS.includes(name)) assert.equal(ENV_REF.exec(value)?.[1], name, `${name} must be \${env('${name}')}`);
      }
    }
    assert.deepEqual(['GITHUB_WEBHOOK_SECRET', 'REBUILD_TOKEN'].filter((n) => n in builder.environmentVariables), []);
    assert.deepEqual(['GITHUB_TOKEN', 'DINGTALK_WEBHOOK_URL', 'DINGTALK_SECRET', 'SMTP_URL'].filter((n) => n in http.environmentVariables), []);
    for (const pattern of [/access_token=/i, /\bSEC[0-9a-f]{16,}/, /\bghp_|github_pat_/, /smtps?:\/\/[^$\s'"]*:[^@\s'"]+@/, /\bLTAI[0-9A-Za-z]{8,}/, /BEGIN [A-Z ]*PRIVATE KEY/]) {
      assert.doesNotMatch(raw, pattern);
    }
  });

  describe('the start commands, run as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fc-syaml-'));
    const children: ChildProcess[] = [];
    after(() => {
      for (const c of children) c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    async function start(p: any, env: Record<string, string>): Promise<string> {
      const local = (arg: string) => arg.replace(/^\/code\//, ROOT);
      const child = spawn(local(p.customRuntimeConfig.command[0]), p.customRuntimeConfig.args.map(local), {
        env: { PATH: process.env.PATH ?? '', FC_SERVER_PORT: '0', DATA_DIR: join(dir, 'data'), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let output = '';
      return new Promise((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const m = /listening on (\d+) \(Node v22\./.exec(output);
          if (m) resolve(`http://127.0.0.1:${m[1]}`);
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
      });
    }

    it('the HTTP function starts under Node 22 and answers /healthz', async () => {
      const url = await start(http, { BUILDER_FUNCTION_NAME: builder.functionName });
      assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true });
    });

    it('the builder starts under Node 22 and takes FC event invocations on POST /invoke', async () => {
      const url = await start(builder, {});
      const res = await fetch(`${url}/invoke`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: '{"hello":"fc"}' });
      assert.equal(res.status, 200);
      assert.ok(((await res.json()) as { ignored?: string }).ignored);
    });
  });
});
