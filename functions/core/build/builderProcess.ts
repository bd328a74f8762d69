import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, readlink, realpath, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { RenderSiteRequest, SiteBuildResult } from './renderSite.ts';
import type { WorkerRequest } from './siteWorker.ts';

const WORKER = fileURLToPath(new URL('./siteWorker.ts', import.meta.url));
const NODE_MODULES = dirname(dirname(createRequire(import.meta.url).resolve('astro/package.json')));
/** Astro warns that the `docs` and `i18n` collections are empty: expected here (see site/src/content.config.ts). */
const EXPECTED = /The collection "(docs|i18n)" does not exist or is empty/;

export type WorkerReply =
  | { type: 'result'; result: SiteBuildResult }
  | { type: 'error'; message: string }
  | { type: 'restart' }
  /** The process ended before answering (killed, crashed). */
  | { type: 'exit'; code: string };

/** The builder's child process (siteWorker.ts). */
export interface BuilderProcess {
  cacheDir: string;
  /** Receives each line it prints while a build runs. */
  sink?: (line: string) => void;
  /** Ask for a build; resolves with its answer, or `exit` if the process ends first. */
  request(request: RenderSiteRequest): Promise<WorkerReply>;
  /** Keep the parent alive while it builds; let the parent exit while it idles. */
  hold(busy: boolean): void;
  /** Stop it and everything it started (Pagefind): SIGTERM, SIGKILL after 5 s. */
  kill(): Promise<void>;
  /** Kill it at once (the parent is exiting). */
  killNow(): void;
}

/** `<cacheDir>/work`: the process's working folder. Astro puts its bundle there, which imports our packages. */
export async function prepareWorkDir(cacheDir: string): Promise<string> {
  const work = join(cacheDir, 'work');
  await mkdir(work, { recursive: true });
  const link = join(work, 'node_modules');
  if ((await readlink(link).catch(() => undefined)) !== NODE_MODULES) {
    await rm(link, { recursive: true, force: true });
    await symlink(NODE_MODULES, link, 'dir');
  }
  return realpath(work);
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, name);
  } catch {
    // already gone
  }
}

/**
 * Default old-generation heap of the builder process, in MB. What it keeps between builds is small
 * (~110 MB after a full GC at 10,000 pages) but rendering makes much short-lived garbage, and V8 sizes
 * its heap from the machine's memory: uncapped, the process grew to 2.4 GB at 10,000 pages (1.3 GB
 * with pages rendered shard by shard) for nothing. Capped, V8 collects sooner: 0.8 GB, no slower.
 */
export const BUILDER_HEAP_MB = 1024;

/**
 * Start the builder process for `cacheDir`: Node 22 (this process's), telemetry off, its own process
 * group, an old-generation heap of at most `heapMb` MB.
 */
export async function startBuilderProcess(cacheDir: string, heapMb = BUILDER_HEAP_MB): Promise<BuilderProcess> {
  const cwd = await prepareWorkDir(cacheDir);
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  Object.assign(env, { ASTRO_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', NO_COLOR: '1' });
  const child = fork(WORKER, [], {
    cwd,
    env,
    execPath: process.execPath,
    execArgv: ['--disable-warning=ExperimentalWarning', `--max-old-space-size=${heapMb}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true, // own process group, so a kill also stops Pagefind
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  let ids = 0;
  const proc: BuilderProcess = {
    cacheDir,
    request: (request) =>
      new Promise((done) => {
        const id = ++ids;
        const onMessage = (m: WorkerReply & { id?: number }): void => {
          if (m.id === id) finish(m);
        };
        const onExit = (code: number | null, sig: string | null): void => finish({ type: 'exit', code: String(code ?? sig ?? 'unknown') });
        const finish = (reply: WorkerReply): void => {
          child.off('message', onMessage);
          child.off('exit', onExit);
          done(reply);
        };
        if (!running()) return done({ type: 'exit', code: String(child.exitCode ?? child.signalCode) });
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ type: 'build', id, request } satisfies WorkerRequest);
      }),
    hold: (busy) => {
      const handles = [child, child.stdout, child.stderr, child.channel] as Array<{ ref(): unknown; unref(): unknown } | null | undefined>;
      for (const handle of handles) if (handle) (busy ? handle.ref : handle.unref).call(handle);
    },
    kill: async () => {
      if (!running()) return;
      signal(child, 'SIGTERM');
      const hard = setTimeout(() => signal(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(hard);
    },
    killNow: () => signal(child, 'SIGKILL'),
  };
  const onData = (): ((chunk: Buffer) => void) => {
    let rest = '';
    return (chunk) => {
      const lines = (rest + chunk.toString('utf8')).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const raw of lines) {
        const line = stripVTControlCharacters(raw).trimEnd();
        if (line !== '' && !EXPECTED.test(line)) proc.sink?.(line);
      }
    };
  };
  child.stdout!.on('data', onData());
  child.stderr!.on('data', onData());
  return proc;
}
