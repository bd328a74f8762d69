import { spawn } from 'node:child_process';
import { mkdir, readdir, readlink, realpath, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

export interface BuildSiteOptions {
  /** Folder written by writeContent (markdown + site.json). */
  contentDir: string;
  /** Where the built site goes; created by Astro. */
  outDir: string;
  /** Writable folder kept between builds (Astro data store, .astro folder, Vite cache). */
  cacheDir: string;
  /** Site manifest; default `<contentDir>/site.json`. */
  siteJson?: string;
  /** Each line Astro prints (progress). */
  onLine?: (line: string) => void;
  /** Kill the build after this long; default 15 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The Astro project (read-only during a build). */
export const SITE_DIR = fileURLToPath(new URL('../../../site/', import.meta.url));
const require = createRequire(import.meta.url);
const ASTRO_DIR = dirname(require.resolve('astro/package.json'));
const NODE_MODULES = dirname(ASTRO_DIR);
const TAIL = 30;

/** Throw unless `version` can run Astro 7 (Node >= 22.12). */
export function assertNodeVersion(version: string = process.versions.node): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    throw new Error(`Astro 7 needs Node >= 22.12, but this process runs Node ${version}. Start docs-sync through npm (npm start, npm run rebuild, npm exec -- node …) so the project's Node 22 is used.`);
  }
}

/** `<cacheDir>/work`: Astro's working folder. It puts its server bundle there, which imports our packages. */
async function prepareWorkDir(cacheDir: string): Promise<string> {
  const work = join(cacheDir, 'work');
  await mkdir(work, { recursive: true });
  const link = join(work, 'node_modules');
  const target = await readlink(link).catch(() => undefined);
  if (target !== NODE_MODULES) {
    await rm(link, { recursive: true, force: true });
    await symlink(NODE_MODULES, link, 'dir');
  }
  return realpath(work);
}

async function countPages(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).length;
}

/**
 * Build the site with `astro build` in a child process (Node 22, telemetry off), streaming its output
 * lines to `onLine`. Throws, with the exit code and the last lines of output, when the build fails,
 * times out or is aborted (the process and its children are killed). `pages` counts the HTML pages
 * Astro rendered, the 404 page included.
 */
export async function buildSite(options: BuildSiteOptions): Promise<{ pages: number; durationMs: number }> {
  assertNodeVersion();
  const started = Date.now();
  const contentDir = resolve(options.contentDir);
  const outDir = resolve(options.outDir);
  const cacheDir = resolve(options.cacheDir);
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  options.signal?.throwIfAborted();
  const cwd = await prepareWorkDir(cacheDir);

  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'TZ', 'SystemRoot']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  Object.assign(env, {
    DOCS_SYNC_CONTENT_DIR: contentDir,
    DOCS_SYNC_OUT_DIR: outDir,
    DOCS_SYNC_CACHE_DIR: cacheDir,
    DOCS_SYNC_SITE_JSON: resolve(options.siteJson ?? join(contentDir, 'site.json')),
    ASTRO_TELEMETRY_DISABLED: '1',
    NODE_ENV: 'production',
    NO_COLOR: '1',
  });
  // Astro finds the config relative to its working folder; the project root then comes from the config.
  const config = relative(cwd, join(SITE_DIR, 'astro.config.mjs'));
  const child = spawn(process.execPath, [join(ASTRO_DIR, 'bin', 'astro.mjs'), 'build', '--config', config], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so a kill also stops Pagefind and other grandchildren
  });

  const tail: string[] = [];
  let reported: number | undefined;
  const onData = (): ((chunk: Buffer) => void) => {
    let rest = '';
    return (chunk) => {
      const lines = (rest + chunk.toString('utf8')).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const raw of lines) {
        const line = stripVTControlCharacters(raw).trimEnd();
        if (line === '') continue;
        tail.push(line);
        if (tail.length > TAIL) tail.shift();
        const built = /(\d+) page\(s\) built/.exec(line);
        if (built) reported = Number(built[1]);
        options.onLine?.(line);
      }
    };
  };
  child.stdout.on('data', onData());
  child.stderr.on('data', onData());

  let stopped: string | undefined;
  const kill = (why: string): void => {
    stopped ??= why;
    try {
      process.kill(-child.pid!, 'SIGTERM');
      setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 5_000).unref();
    } catch {
      // already gone
    }
  };
  const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
  const timer = setTimeout(() => kill(`timed out after ${limit}`), timeoutMs);
  const onAbort = (): void => kill('was cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const onExit = (): void => kill('was stopped because docs-sync exited');
  process.once('exit', onExit);

  const code = await new Promise<number | string>((done, fail) => {
    child.once('error', fail);
    child.once('close', (exit, signal) => done(exit ?? signal ?? 'unknown'));
  }).finally(() => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    process.removeListener('exit', onExit);
  });

  if (stopped || code !== 0) {
    const what = stopped ? `The site build ${stopped}` : `The site build failed (astro build exited with code ${code})`;
    const output = tail.length ? `Last ${tail.length} lines of output:\n${tail.join('\n')}` : 'It printed nothing.';
    throw new Error(`${what}. Content: ${contentDir}.\n${output}`);
  }
  return { pages: reported ?? (await countPages(outDir)), durationMs: Date.now() - started };
}
