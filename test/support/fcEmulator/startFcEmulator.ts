/**
 * An FC 3.0 emulator on 127.0.0.1 that runs each function of s.yaml from its built code package the
 * way Function Compute does: customRuntimeConfig's command on FC_CUSTOM_LISTEN_PORT with FC's
 * variables and the role's STS credentials, an HTTP trigger passing requests through, async
 * invocations through a task queue with retries and the onFailure destination, instances frozen
 * between invocations. See the modules beside this one; FUNCTION_COMPUTE_ENDPOINT points the
 * functions' own InvokeFunction calls at the emulator's API.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSYaml } from '../../../scripts/fc/resolveSYaml.ts';
import { createAsyncQueue, type AsyncQueue } from './createAsyncQueue.ts';
import { createFunctionRunner, type FunctionRunner } from './createFunctionRunner.ts';
import { createApiServer } from './createApiServer.ts';
import { createTriggerServer } from './createTriggerServer.ts';
import { listen } from './readRequestBody.ts';

export interface FcEmulator {
  apiUrl: string;
  /** The HTTP trigger's URL of each function that has one. */
  triggerUrls: Record<string, string>;
  runners: Map<string, FunctionRunner>;
  queue: AsyncQueue;
  apiRequests: Array<{ path: string; status: number; code?: string }>;
  /** Each function role's STS credentials (what FC hands the function). */
  credentials: Record<string, { accessKeyId: string; accessKeySecret: string; securityToken: string }>;
  close(): Promise<void>;
}

export interface FcEmulatorOptions {
  sYaml: string;
  /** Where s.yaml's `code:` folders are resolved (the folder package:fc wrote under). */
  codeRoot: string;
  /** The deployer's environment for `${env()}`. */
  deployEnv?: Record<string, string>;
  accountId?: string;
  /** Extra variables per function name (test settings), over s.yaml's. */
  functionEnv?: Record<string, Record<string, string>>;
  /** First retry delay; doubles each retry. */
  backoffMs?: number;
  freeze?: boolean;
  /** How long a thawed instance runs before the request is routed to it (its expired timers fire). */
  resumeDelayMs?: number;
  /** Multiplies x-fc-async-delay (1: FC's seconds; 0.01 makes a 2 s quiet period 20 ms). */
  asyncDelayScale?: number;
  /** Accept these functions' async tasks but never deliver them. */
  hold?: string[];
}

export async function startFcEmulator(options: FcEmulatorOptions): Promise<FcEmulator> {
  const accountId = options.accountId ?? '1234567890123456';
  const s = readSYaml(options.sYaml, { env: options.deployEnv ?? {}, config: { AccountID: accountId } });
  const root = mkdtempSync(join(tmpdir(), 'fc-emulator-'));
  const credentials: Record<string, { accessKeyId: string; accessKeySecret: string; securityToken: string }> = {};
  const runners = new Map<string, FunctionRunner>();
  const servers: Server[] = [];
  let apiUrl = '';
  for (const { props } of Object.values(s.resources)) {
    const name = String(props.functionName);
    // Each role's temporary credentials, as FC's STS hands them to the function.
    credentials[name] = {
      accessKeyId: `STS.${name}.${randomBytes(4).toString('hex')}`,
      accessKeySecret: randomBytes(16).toString('hex'),
      securityToken: `CAIS${randomBytes(24).toString('base64url')}`,
    };
    const c = credentials[name]!;
    const fcEnv = () => ({
      FC_REGION: String(props.region),
      FC_ACCOUNT_ID: accountId,
      ALIBABA_CLOUD_ACCESS_KEY_ID: c.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: c.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: c.securityToken,
      FUNCTION_COMPUTE_ENDPOINT: apiUrl,
      ...options.functionEnv?.[name],
    });
    runners.set(
      name,
      createFunctionRunner({
        props,
        code: resolve(options.codeRoot, String(props.code)),
        root,
        fcEnv,
        freeze: options.freeze ?? true,
        ...(options.resumeDelayMs !== undefined ? { resumeDelayMs: options.resumeDelayMs } : {}),
      }),
    );
  }
  const queue = createAsyncQueue({
    runners,
    credentialsFor: (fn) => credentials[fn]!,
    accountId,
    region: String(Object.values(s.resources)[0]?.props.region),
    backoffMs: options.backoffMs ?? 1000,
    hold: options.hold ?? [],
  });
  const acs = Object.fromEntries(Object.values(credentials).map((c) => [c.accessKeyId, { secret: c.accessKeySecret, securityToken: c.securityToken }]));
  const api = createApiServer({ runners, queue, credentials: acs, delayScale: options.asyncDelayScale ?? 1 });
  servers.push(api.server);
  apiUrl = await listen(api.server);
  const triggerUrls: Record<string, string> = {};
  for (const runner of runners.values()) {
    if (!(runner.props.triggers ?? []).some((t: { triggerType: string }) => t.triggerType === 'http')) continue;
    const server = createTriggerServer({ runner, credentials: () => credentials[runner.name]! });
    servers.push(server);
    triggerUrls[runner.name] = await listen(server);
  }
  return {
    apiUrl,
    triggerUrls,
    runners,
    queue,
    apiRequests: api.requests,
    credentials,
    async close() {
      for (const r of runners.values()) await r.close();
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
