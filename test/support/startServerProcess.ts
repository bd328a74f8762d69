import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the server printed so far (stdout + stderr). */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9) and wait for exit. */
  kill9(): Promise<void>;
}

/** Start `scripts/start.ts` (what `npm start` runs) as a real child process; resolves once it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ASTRO_TELEMETRY_DISABLED: '1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${out}`)), 60_000);
    const check = () => {
      const m = /Site:\s+(http:\/\/localhost:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  return {
    child,
    url,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Poll `GET /builds/<id>` until the build reaches a final state (or `timeoutMs` passes). */
export async function waitForBuild(url: string, id: string, timeoutMs = 240_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/builds/${id}`).catch(() => undefined);
    if (res?.ok) {
      last = await res.json();
      if (['succeeded', 'degraded', 'failed', 'skipped', 'superseded'].includes(last.state)) return last;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`build ${id} not final after ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
}

/** The newest build from `GET /builds`, once one exists and is final. */
export async function waitForLatestBuild(url: string, timeoutMs = 240_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/builds`).catch(() => undefined);
    const builds = res?.ok ? ((await res.json()) as { builds: any[] }).builds : [];
    if (builds[0]) return waitForBuild(url, builds[0].id, Math.max(1, deadline - Date.now()));
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('no build appeared');
}

/** A server fed by the fake GitHub at `githubUrl`: its DATA_DIR (`<dir>/data`) and sources file (`<dir>/sources.yaml`). */
export function fakeGitHubServerEnv(dir: string, githubUrl: string, token: string, webhookSecret: string): Record<string, string> {
  return {
    DATA_DIR: join(dir, 'data'),
    SOURCES_FILE: join(dir, 'sources.yaml'),
    GITHUB_API_URL: githubUrl,
    GITHUB_TOKEN: token,
    GITHUB_WEBHOOK_SECRET: webhookSecret,
  };
}

/** An end-to-end test's teardown: the server's output when E2E_DEBUG is set, then everything closed and `dir` removed. */
export async function closeE2e(parts: {
  server?: ServerProcess;
  browser?: { close(): Promise<void> };
  gh?: { close(): Promise<void> };
  dir?: string;
}): Promise<void> {
  if (process.env.E2E_DEBUG && parts.server) console.log(parts.server.output());
  await parts.browser?.close();
  await parts.server?.stop();
  await parts.gh?.close();
  if (parts.dir) rmSync(parts.dir, { recursive: true, force: true });
}
