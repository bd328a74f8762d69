import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PreviewProcess {
  child: ChildProcess;
  /** The previewed source's page, on 127.0.0.1. */
  pageUrl: string;
  /** Everything printed so far (stdout + stderr). */
  output(): string;
  /** Resolves once the output matches `pattern` after `from` characters (default: anywhere). */
  waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<RegExpExecArray>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
}

/** Start `scripts/preview.ts` (what `npm run preview` runs) as a real child process; resolves once it serves. */
export async function startPreviewProcess(args: string[]): Promise<PreviewProcess> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/preview.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (c: string): void => {
    out += c;
    for (const w of waiters) w();
  };
  child.stdout!.setEncoding('utf8').on('data', onData);
  child.stderr!.setEncoding('utf8').on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitFor = (pattern: RegExp, { from = 0, timeoutMs = 120_000 }: { from?: number; timeoutMs?: number } = {}) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = (): void => {
        const m = pattern.exec(out.slice(from));
        if (!m) return;
        done();
        resolve(m);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`preview did not print ${pattern} within ${timeoutMs} ms:\n${out}`));
      }, timeoutMs);
      const onExit = (code: number | null): void => {
        done();
        reject(new Error(`preview exited with ${code} before printing ${pattern}:\n${out}`));
      };
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', onExit);
      };
      waiters.add(check);
      child.once('exit', onExit);
      check();
    });

  const m = await waitFor(/Preview:\s+(http:\/\/localhost:\d+\/\S*)/, { timeoutMs: 60_000 });
  return {
    child,
    pageUrl: m[1]!.replace('localhost', '127.0.0.1'),
    output: () => out,
    waitFor,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
