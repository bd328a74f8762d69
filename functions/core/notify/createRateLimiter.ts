export interface RateLimiterOptions {
  /** Most calls to `take` that may complete in any `windowMs` window. */
  max: number;
  windowMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A sliding-window limiter: `take()` resolves when a slot is free, waiting (never dropping) otherwise.
 * Concurrent callers are served in call order.
 */
export function createRateLimiter({ max, windowMs, now = Date.now, sleep = realSleep }: RateLimiterOptions): { take(): Promise<void> } {
  if (!(max >= 1)) throw new Error(`Rate limit must allow at least 1 call per window, got ${max}.`);
  const taken: number[] = [];
  let queue: Promise<void> = Promise.resolve();

  async function waitForSlot(): Promise<void> {
    for (;;) {
      const t = now();
      while (taken.length > 0 && (taken[0] ?? 0) <= t - windowMs) taken.shift();
      if (taken.length < max) {
        taken.push(t);
        return;
      }
      await sleep(Math.max(1, (taken[0] ?? t) + windowMs - t));
    }
  }

  return {
    take() {
      const slot = queue.then(waitForSlot);
      queue = slot.catch(() => undefined);
      return slot;
    },
  };
}
