/**
 * Run a sweep now and then every `everyMs` (RECONCILE_EVERY), never two at once; a failing sweep
 * is logged and the schedule goes on. `stop()` clears the timer and waits for a sweep in progress.
 */
export interface ReconcileSchedule {
  /** Run a sweep now (waits for one in progress first); resolves when it is done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function scheduleReconcile(everyMs: number, sweep: () => Promise<unknown>, log: (line: string) => void): ReconcileSchedule {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = (): Promise<void> => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        await sweep();
      } catch (err) {
        log(`Reconcile sweep failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return running;
  };
  const next = (): void => {
    if (stopped || everyMs <= 0) return;
    timer = setTimeout(() => void run().then(next), everyMs);
  };
  void run().then(next);
  return {
    runNow: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
