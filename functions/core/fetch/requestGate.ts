import { setTimeout as sleep } from 'node:timers/promises';

export interface RequestGateOptions {
  /** Requests in flight at once for one token, across all sources (default 4). */
  maxInFlight?: number;
  /** At or below this many requests left in the hour, one request at a time (default 100). */
  lowWater?: number;
  /** Longest pause for a rate-limit reset or `retry-after`; beyond it requests go out and fail with the reason (default 60 000 ms). */
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

type Headers = Record<string, string | number | undefined>;

/**
 * How many GitHub requests one token has in flight, adapted to what GitHub says: at most
 * `maxInFlight`; one at a time when `x-ratelimit-remaining` runs low; nothing at all until
 * `x-ratelimit-reset` when it is used up, or for `retry-after` after a secondary rate limit.
 * Budgets are kept per `x-ratelimit-resource` (REST `core`, `graphql`).
 */
export class RequestGate {
  readonly #max: number;
  readonly #lowWater: number;
  readonly #maxWaitMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #inFlight = 0;
  #peak = 0;
  #wake: Array<() => void> = [];
  readonly #remaining = new Map<string, number>();
  /** Paused until the hourly reset (budget used up) / until a `retry-after` has passed (secondary limit). */
  readonly #resetAt = new Map<string, number>();
  readonly #retryAt = new Map<string, number>();

  constructor(options: RequestGateOptions = {}) {
    this.#max = Math.max(1, options.maxInFlight ?? 4);
    this.#lowWater = options.lowWater ?? 100;
    this.#maxWaitMs = options.maxWaitMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms, signal) => sleep(ms, undefined, signal ? { signal } : {}));
  }

  /** Most requests ever in flight at once through this gate. */
  get peak(): number {
    return this.#peak;
  }

  /** Requests allowed in flight right now for `resource`. */
  limit(resource = 'core'): number {
    const left = this.#remaining.get(resource);
    return left !== undefined && left <= this.#lowWater ? 1 : this.#max;
  }

  /** Wait for a turn; call the returned function when the request is answered. */
  async acquire(signal?: AbortSignal, resource = 'core'): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      const pause = Math.max(this.#resetAt.get(resource) ?? 0, this.#retryAt.get(resource) ?? 0) - this.#now();
      if (pause > 0 && pause <= this.#maxWaitMs) {
        await this.#sleep(pause, signal);
        continue;
      }
      if (this.#inFlight < this.limit(resource)) break;
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => reject(signal!.reason);
        this.#wake.push(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    this.#inFlight++;
    this.#peak = Math.max(this.#peak, this.#inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      for (const wake of this.#wake.splice(0)) wake();
    };
  }

  /** Learn from one response's status and headers (any status, including errors and 304). */
  observe(status: number, headers: Headers): void {
    const h = (name: string): string | undefined => (headers[name] === undefined ? undefined : String(headers[name]));
    const resource = h('x-ratelimit-resource') ?? 'core';
    const remaining = h('x-ratelimit-remaining') === undefined ? undefined : Number(h('x-ratelimit-remaining'));
    const reset = Number(h('x-ratelimit-reset'));
    if (remaining !== undefined && Number.isFinite(remaining)) {
      this.#remaining.set(resource, remaining);
      // Used up: nothing more until the reset. Budget left again (the reset came): the pause is over.
      if (remaining === 0 && reset > 0) this.#resetAt.set(resource, reset * 1000 + 1000);
      else if (remaining > 0) this.#resetAt.delete(resource);
    }
    const retryAfter = h('retry-after');
    if ((status === 403 || status === 429) && retryAfter !== undefined && Number.isFinite(Number(retryAfter))) {
      const until = this.#now() + Number(retryAfter) * 1000;
      if (until > (this.#retryAt.get(resource) ?? 0)) this.#retryAt.set(resource, until);
    }
    for (const wake of this.#wake.splice(0)) wake();
  }
}

const gates = new WeakMap<object, RequestGate>();

/** The gate shared by everything that uses the same client (one client = one token). */
export function gateFor(client: object, options?: RequestGateOptions): RequestGate {
  let gate = gates.get(client);
  if (!gate) gates.set(client, (gate = new RequestGate(options)));
  return gate;
}
