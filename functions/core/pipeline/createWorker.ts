import type { BuildQueue } from '../queue/BuildQueue.ts';
import type { BuildRecord } from '../types.ts';
import { runAttempt } from './runAttempt.ts';

export interface WorkerDeps {
  queue: BuildQueue;
  /** Runs one attempt of a build; throws (ideally a PhaseError) when the attempt fails. */
  run: (build: BuildRecord, signal: AbortSignal) => Promise<BuildRecord>;
  /** Told once per build, when it reaches its final state. Must not throw. */
  onFinal: (build: BuildRecord) => Promise<void>;
  /** Per-attempt timeout (FC's function timeout). */
  attemptTimeoutMs?: number;
  /** Removes secrets from a failed attempt's message before it is recorded. */
  redact?: (text: string) => string;
  log?: (line: string) => void;
}

export interface Worker {
  /** Look at the queue now (call after enqueueing). */
  wake(): void;
  /** Resolves when the worker has nothing due and is not running anything. */
  idle(): Promise<void>;
  /** Stop after the current attempt; resolves when stopped. */
  stop(): Promise<void>;
}

/**
 * The local stand-in for Function Compute's async invocation: one build at a time, each attempt
 * bounded by a timeout, failures retried with backoff by the queue, and the final outcome reported.
 */
export function createWorker(deps: WorkerDeps): Worker {
  const log = deps.log ?? (() => {});
  const timeoutMs = deps.attemptTimeoutMs ?? 30 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let idleWaiters: Array<() => void> = [];

  const attempt = async (build: BuildRecord): Promise<void> => {
    const { ok, build: after } = await runAttempt(build, deps.run, { timeoutMs, now: deps.queue.now, ...(deps.redact ? { redact: deps.redact } : {}) });
    if (ok) {
      deps.queue.save(after);
      log(`[${after.id}] ${after.state} in ${Date.parse(after.finishedAt!) - Date.parse(after.startedAt ?? after.createdAt)} ms`);
      await deps.onFinal(after);
      return;
    }
    const again = deps.queue.retryOrFail(after);
    log(`[${after.id}] attempt ${after.attempts} failed in ${after.error!.phase}: ${after.error!.message}${again ? ' — will retry' : ' — giving up'}`);
    if (!again) await deps.onFinal(after);
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      const next = deps.queue.claim();
      if (!next) break;
      if (next.expired) {
        log(`[${next.build.id}] expired: ${next.build.error?.message}`);
        await deps.onFinal(next.build);
        continue;
      }
      log(`[${next.build.id}] attempt ${next.build.attempts} started`);
      await attempt(next.build);
    }
  };

  const flushIdle = (): void => {
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    const at = deps.queue.nextRunAt();
    if (at === undefined) return;
    timer = setTimeout(wake, Math.max(0, Math.min(at - deps.queue.now(), 2 ** 31 - 1)));
  };

  function wake(): void {
    if (stopped || running) return;
    if (timer) clearTimeout(timer);
    timer = undefined;
    // `running` is cleared in a later microtask, never before it is assigned (loop may end at once).
    running = loop().finally(() => {
      running = undefined;
      schedule();
      if (!timer || stopped) flushIdle();
    });
  }

  return {
    wake,
    idle: () => (running || timer ? new Promise<void>((resolve) => idleWaiters.push(resolve)) : Promise.resolve()),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
      flushIdle();
    },
  };
}
