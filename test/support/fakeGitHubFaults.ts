/**
 * Fault injection for the fake GitHub (see fakeGitHub.ts): faults a test queues (`inject`), each used up
 * by the next matching requests, and random faults drawn from a seeded generator (`rates`) so a failing
 * run can be replayed. The server asks `take` which fault (if any) a request gets.
 */
import { seededRandom } from './seededRandom.ts';

/** A fault answered instead of the real response, for the next `times` (default 1) matching requests. */
export type Fault = { times?: number; path?: RegExp; method?: string } & (
  | { kind: 'status'; status: number }
  | { kind: 'secondary-rate-limit'; status?: 403 | 429; retryAfter?: number }
  | { kind: 'rate-limit-exhausted'; status?: 403 | 429; resetIn?: number }
  /** The socket is destroyed before any response byte. */
  | { kind: 'reset' }
  /** The real response's headers and half its body are sent, then the socket is destroyed. */
  | { kind: 'truncate' }
  /** No answer at all until the server closes. */
  | { kind: 'hang' }
);

/**
 * Random faults: each request (that no injected fault matched) gets a fault with these probabilities,
 * drawn from a seeded generator so a failing run can be replayed.
 */
export interface FaultRates {
  seed: number;
  /** 500, 502 or 503. */
  status?: number;
  reset?: number;
  truncate?: number;
  /** Left unanswered (the client's timeout must retry it). */
  hang?: number;
  /** 403 secondary rate limit with `retry-after: retryAfter` (default 1 s). */
  secondaryRateLimit?: number;
  retryAfter?: number;
  /** Only requests whose path matches (default: all). */
  path?: RegExp;
}

export interface FakeGitHubFaults {
  inject(fault: Fault): void;
  /** Random faults on every request from now on (undefined: stop). */
  rates(rates: FaultRates | undefined): void;
  /** The fault this request gets: the first injected one that matches (used up), else a random one, else none. */
  take(method: string, path: string): Fault | undefined;
  /** Faults not yet used up. */
  pending(): number;
}

interface ActiveFault {
  fault: Fault;
  left: number;
}

export function fakeGitHubFaults(): FakeGitHubFaults {
  const faults: ActiveFault[] = [];
  let random: { rates: FaultRates; next: () => number } | undefined;

  function randomFault(path: string): Fault | undefined {
    if (!random || (random.rates.path && !random.rates.path.test(path))) return undefined;
    const r = random.rates;
    let x = random.next();
    const pick = (p: number | undefined): boolean => (x -= p ?? 0) < 0;
    if (pick(r.status)) return { kind: 'status', status: [500, 502, 503][Math.floor(random.next() * 3)]! };
    if (pick(r.reset)) return { kind: 'reset' };
    if (pick(r.truncate)) return { kind: 'truncate' };
    if (pick(r.hang)) return { kind: 'hang' };
    if (pick(r.secondaryRateLimit)) return { kind: 'secondary-rate-limit', retryAfter: r.retryAfter ?? 1 };
    return undefined;
  }

  return {
    inject(fault) {
      const left = fault.times ?? 1;
      if (left > 0) faults.push({ fault, left });
    },
    rates(rates) {
      random = rates && { rates, next: seededRandom(rates.seed).next };
    },
    take(method, path) {
      const i = faults.findIndex(({ fault }) => (!fault.method || fault.method === method) && (!fault.path || fault.path.test(path)));
      if (i < 0) return randomFault(path);
      const active = faults[i]!;
      if (--active.left <= 0) faults.splice(i, 1);
      return active.fault;
    },
    pending: () => faults.reduce((n, f) => n + f.left, 0),
  };
}
