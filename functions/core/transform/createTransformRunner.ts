import { Worker } from 'node:worker_threads';
import type { FetchedSource } from '../types.ts';
import type { SiteIndexOptions } from './siteIndex.ts';
import type { TransformResult } from './transformSource.ts';
import type { TransformJob, WorkerMessage } from './transformWorker.ts';

export interface TransformRunner {
  /**
   * Every source transformed with one site index over them all (results by source id), in a worker
   * thread. A file that keeps the worker busy longer than the limit is shown as text and reported;
   * the others are transformed again without it. Rejects when `signal` aborts.
   */
  transformAll(fetched: FetchedSource[], options?: { signal?: AbortSignal }): Promise<Map<string, TransformResult>>;
  /** Stop the worker thread (a later transformAll starts a new one). */
  close(): Promise<void>;
}

export interface TransformRunnerOptions {
  /** Site index options (GitHub host, this site's URLs), as buildSiteIndex takes them. */
  index?: SiteIndexOptions;
  /** How long one file may keep the worker busy. Default 60 s. */
  fileLimitMs?: number;
  log?: (line: string) => void;
}

const WORKER = new URL('./transformWorker.ts', import.meta.url);

/**
 * The transform step of a long-lived process (createBuildSteps): the work runs in one worker thread,
 * which keeps its transform cache between builds. The main thread only waits, so it stays free for
 * requests however slow the markdown is; a watchdog stops the worker when one file runs past the
 * limit, and the build goes on with that file shown as text (its diagnostic says why).
 */
export function createTransformRunner(options: TransformRunnerOptions = {}): TransformRunner {
  const limit = options.fileLimitMs ?? 60_000;
  const log = options.log ?? (() => {});
  let worker: Worker | undefined;
  let jobs = 0;

  const attempt = (fetched: FetchedSource[], tooSlow: string[], signal: AbortSignal | undefined) =>
    new Promise<{ results: Map<string, TransformResult> } | { slow: string }>((resolve, reject) => {
      if (!worker) {
        worker = new Worker(WORKER);
        // An idle worker does not keep the process alive; a running job's watchdog timer does.
        worker.unref();
      }
      const w = worker;
      const id = ++jobs;
      let current = '';
      let since = Date.now();
      const finish = (): void => {
        clearInterval(watchdog);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
      };
      const stop = (): void => {
        if (worker === w) worker = undefined;
        void w.terminate();
      };
      const onMessage = (m: WorkerMessage): void => {
        if (m.id !== id) return;
        if (m.type === 'file') {
          current = `${m.source}\n${m.path}`;
          since = Date.now();
        } else {
          finish();
          if (m.type === 'done') resolve({ results: new Map(m.results) });
          else reject(new Error(`The transform failed: ${m.message}`));
        }
      };
      const onError = (error: Error): void => {
        finish();
        stop();
        reject(new Error(`The transform worker failed${current ? ` on ${current.replace('\n', ': ')}` : ''}: ${error.message}`, { cause: error }));
      };
      const onExit = (code: number): void => {
        finish();
        if (worker === w) worker = undefined;
        reject(new Error(`The transform worker exited (code ${code})${current ? ` while on ${current.replace('\n', ': ')}` : ''}.`));
      };
      const onAbort = (): void => {
        finish();
        stop();
        reject(signal?.reason instanceof Error ? signal.reason : new Error('The transform was aborted.'));
      };
      const watchdog = setInterval(
        () => {
          if (current === '' || Date.now() - since <= limit) return;
          finish();
          stop();
          resolve({ slow: current });
        },
        Math.min(1000, Math.max(10, limit / 4)),
      );
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) return onAbort();
      const job: TransformJob = { id, fetched, index: options.index ?? {}, tooSlow, limitSeconds: limit / 1000 };
      w.postMessage(job);
    });

  return {
    async transformAll(fetched, { signal } = {}) {
      const tooSlow: string[] = [];
      for (;;) {
        const outcome = await attempt(fetched, tooSlow, signal);
        if ('results' in outcome) return outcome.results;
        if (tooSlow.includes(outcome.slow))
          throw new Error(`The transform of ${outcome.slow.replace('\n', ': ')} took more than ${limit / 1000} s even as plain text.`);
        tooSlow.push(outcome.slow);
        log(`transform: ${outcome.slow.replace('\n', ': ')} took more than ${limit / 1000} s; it is shown as text and the sources are transformed again`);
      }
    },
    async close() {
      const w = worker;
      worker = undefined;
      await w?.terminate();
    },
  };
}
