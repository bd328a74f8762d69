import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBuilderProcess, type BuilderProcess } from './builderProcess.ts';
import type { SiteBuildResult } from './renderSite.ts';

export type { SiteBuildResult } from './renderSite.ts';

export interface BuildSiteOptions {
  /** Folder written by writeContent (markdown + site.json). */
  contentDir: string;
  /** Where the built site goes (replaced). */
  outDir: string;
  /** Writable folder kept between builds (the builder's mirror and page files, Astro's caches). */
  cacheDir: string;
  /** Site manifest; default `<contentDir>/site.json`. */
  siteJson?: string;
  /** `false`: a preview build, which leaves the last build's state as it is (see RenderSiteRequest.commit). */
  commit?: boolean;
  /** Each line the build prints (progress). */
  onLine?: (line: string) => void;
  /** Kill the build after this long; default 15 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface SiteBuilder {
  /** Build the site; builds run one at a time, in call order. */
  build(options: BuildSiteOptions): Promise<SiteBuildResult>;
  /** Stop the builder's process (after the builds asked for). Builds after this start a new one. */
  close(): Promise<void>;
}

export interface SiteBuilderOptions {
  /** The Astro project; default this repository's `site/`. */
  siteDir?: string;
  /** Stop the idle builder process after this long (it holds the loaded site, ~0.8 GB at 10,000 pages). Default 30 minutes. */
  idleMs?: number;
  /** Old-generation heap of the builder process in MB (its `--max-old-space-size`); default BUILDER_HEAP_MB (1024). */
  heapMb?: number;
}

/** The Astro project (read-only during a build). */
export const SITE_DIR = fileURLToPath(new URL('../../../site/', import.meta.url));
const TAIL = 30;

/** Throw unless `version` can run Astro 7 (Node >= 22.12). */
export function assertNodeVersion(version: string = process.versions.node): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    throw new Error(
      `Astro 7 needs Node >= 22.12, but this process runs Node ${version}. Start docs-sync through npm (npm start, npm run rebuild, npm exec -- node …) so the project's Node 22 is used.`,
    );
  }
}

/**
 * The site builder: a long-lived child process (siteWorker.ts) that runs `astro build` once and then
 * keeps the site loaded, so later builds render only the pages that changed without it (renderSite).
 * Create one per process and use it for every build; `close()` it when done. A build that fails,
 * times out or is aborted throws with the last lines of output; timeout and abort kill the process
 * (and Pagefind), and the next build starts a new one, which still reuses the last build's output.
 */
export function createSiteBuilder(builderOptions: SiteBuilderOptions = {}): SiteBuilder {
  const siteDir = resolve(builderOptions.siteDir ?? SITE_DIR);
  const idleMs = builderOptions.idleMs ?? 30 * 60_000;
  let proc: BuilderProcess | undefined;
  let idle: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const stop = async (): Promise<void> => {
    const p = proc;
    proc = undefined;
    await p?.kill();
  };
  const onExit = (): void => proc?.killNow();
  let listening = false;

  const run = async (options: BuildSiteOptions): Promise<SiteBuildResult> => {
    assertNodeVersion();
    options.signal?.throwIfAborted();
    clearTimeout(idle);
    const contentDir = resolve(options.contentDir);
    const request = {
      contentDir,
      outDir: resolve(options.outDir),
      cacheDir: resolve(options.cacheDir),
      siteDir,
      ...(options.siteJson ? { siteJson: resolve(options.siteJson) } : {}),
      ...(options.commit === false ? { commit: false } : {}),
    };
    const tail: string[] = [];
    const fail = (what: string): Error => {
      const output = tail.length ? `Last ${tail.length} lines of output:\n${tail.join('\n')}` : 'It printed nothing.';
      return new Error(`The site build ${what}. Content: ${contentDir}.\n${output}`);
    };
    const timeoutMs = options.timeoutMs ?? 15 * 60_000;
    let stopped: string | undefined;
    const kill = (why: string): void => {
      stopped ??= why;
      void stop();
    };
    const timer = setTimeout(() => kill(`timed out after ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`), timeoutMs);
    const onAbort = (): void => kill('was cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let attempt = 0; ; attempt++) {
        if (proc && proc.cacheDir !== request.cacheDir) await stop();
        proc ??= await startBuilderProcess(request.cacheDir, builderOptions.heapMb);
        // Timed out or cancelled while the process started (kill found none to stop): never send the build.
        if (stopped) {
          await stop();
          throw fail(stopped);
        }
        const p = proc;
        if (!listening) process.on('exit', onExit);
        listening = true;
        p.sink = (line) => {
          tail.push(line);
          if (tail.length > TAIL) tail.shift();
          options.onLine?.(line);
        };
        p.hold(true);
        const reply = await p.request(request);
        p.sink = undefined;
        p.hold(false);
        if (stopped) {
          // A build stopped half-way leaves no half site behind.
          await rm(request.outDir, { recursive: true, force: true });
          throw fail(stopped);
        }
        if (reply.type === 'exit') {
          if (proc === p) proc = undefined;
          throw fail(`failed (the site builder process exited with ${reply.code})`);
        }
        if (reply.type === 'restart' && attempt === 0) {
          await stop(); // it already ran astro build once; a new process runs the next one
          continue;
        }
        if (reply.type === 'result') return reply.result;
        throw fail(`failed: ${reply.type === 'error' ? reply.message : 'the site builder asked for a new process twice'}`);
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (proc) idle = setTimeout(() => void stop(), idleMs).unref();
    }
  };

  return {
    build: (options) => {
      const next = chain.then(() => run(options));
      chain = next.catch(() => undefined);
      return next;
    },
    close: async () => {
      await chain;
      clearTimeout(idle);
      await stop();
      process.removeListener('exit', onExit);
      listening = false;
    },
  };
}
