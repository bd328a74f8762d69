/**
 * One FC function instance: the custom runtime's command started the way FC starts it (command and
 * args from customRuntimeConfig, FC's variables plus the function's environmentVariables, the code
 * folder as working directory), ready once its port accepts connections. Between invocations the
 * emulator freezes it (SIGSTOP) and thaws it (SIGCONT) for the next, as FC does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer } from 'node:net';
import type { FcPaths } from './fcPaths.ts';

export interface Instance {
  id: string;
  port: number;
  child: ChildProcess;
  /** ms from spawn until the port accepted a connection. */
  startMs: number;
  output: () => string;
  freeze(): void;
  /** Resume the instance; true when it was frozen. */
  thaw(): boolean;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export async function startInstance({
  props,
  paths,
  fcEnv,
  timeoutMs = 30_000,
}: {
  props: Record<string, any>;
  paths: FcPaths;
  fcEnv: Record<string, string>;
  timeoutMs?: number;
}): Promise<Instance> {
  const rc = props.customRuntimeConfig ?? {};
  const [command, ...extra] = (rc.command ?? []) as string[];
  if (!command) throw new Error(`${props.functionName}: customRuntimeConfig.command is empty`);
  const args = [...extra, ...((rc.args ?? []) as string[])].map(paths.map);
  const port = await freePort();
  const id = `c-${randomUUID().slice(0, 8)}`;
  const fnEnv = Object.fromEntries(Object.entries((props.environmentVariables ?? {}) as Record<string, string>).map(([k, v]) => [k, paths.map(String(v))]));
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin',
    HOME: paths.tmp,
    ...fnEnv,
    ...fcEnv,
    FC_CUSTOM_LISTEN_PORT: String(port),
    FC_FUNCTION_NAME: String(props.functionName),
    FC_FUNCTION_MEMORY_SIZE: String(props.memorySize ?? 512),
    FC_INSTANCE_ID: id,
    FC_FUNC_CODE_PATH: `${paths.code}/`,
  };
  const started = performance.now();
  const child = spawn(paths.map(command), args, { cwd: paths.code, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${props.functionName} exited with ${child.exitCode} before listening on ${port}:\n${output}`);
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${props.functionName} did not listen on FC_CUSTOM_LISTEN_PORT=${port} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  const startMs = performance.now() - started;
  let frozen = false;
  return {
    id,
    port,
    child,
    startMs,
    output: () => output,
    freeze() {
      if (!frozen && child.exitCode === null) child.kill('SIGSTOP');
      frozen = true;
    },
    thaw() {
      const was = frozen;
      if (frozen && child.exitCode === null) child.kill('SIGCONT');
      frozen = false;
      return was;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    },
  };
}
