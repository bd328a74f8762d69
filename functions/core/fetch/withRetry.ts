import pRetry, { AbortError } from 'p-retry';
import { setTimeout as sleep } from 'node:timers/promises';
import { GitHubReadError, IncompleteResponseError } from './errors.ts';

export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First back-off delay in ms (default 1000), doubling each retry up to `maxTimeout` (default 20 000). */
  minTimeout?: number;
  maxTimeout?: number;
  /** Spread back-off delays by 1–2× so parallel readers do not retry in step (default true). */
  randomize?: boolean;
  /** Longest wait a `retry-after` or rate-limit reset may ask for before the error is final (default 60 000 ms). */
  maxWaitMs?: number;
  /** Each attempt is aborted after this many ms and retried (default 30 000). */
  timeoutMs?: number;
  /** Cancels the whole read (no retry after it). */
  signal?: AbortSignal;
  /** Clock for `x-ratelimit-reset` (default Date.now). */
  now?: () => number;
  /** Told about each retry, e.g. to log it. Messages never hold credentials. */
  onRetry?: (message: string) => void;
  /**
   * Waits for a turn before each attempt and returns the release (see RequestGate): the wait is not
   * part of `timeoutMs`, and no turn is held during back-off.
   */
  slot?: (signal?: AbortSignal) => Promise<() => void>;
}

interface Verdict {
  retry: boolean;
  message: string;
  status?: number;
  waitMs?: number;
}

class Transient extends Error {
  readonly verdict: Verdict;
  constructor(verdict: Verdict, cause: unknown) {
    super(verdict.message, { cause });
    this.verdict = verdict;
  }
}

interface ErrorLike {
  status?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  request?: { method?: string; url?: string; headers?: Record<string, unknown> };
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'Z_BUF_ERROR',
  'Z_DATA_ERROR',
]);
const NETWORK_MESSAGES = /^(fetch failed|terminated|socket hang up|other side closed|premature close)$|timeout|aborted/i;

function causes(err: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let e = err; e && typeof e === 'object' && chain.length < 8; e = (e as ErrorLike).cause) chain.push(e as ErrorLike);
  return chain;
}

const routeOf = (e: ErrorLike): string => {
  const url = e.request?.url;
  return url && URL.canParse(url) ? ` (${e.request?.method ?? 'GET'} ${new URL(url).pathname})` : '';
};

function classify(err: unknown, label: string, maxWaitMs: number, now: () => number): Verdict {
  if (err instanceof IncompleteResponseError) return { retry: true, message: err.message };
  const e = (err ?? {}) as ErrorLike;
  const where = routeOf(e);
  if (typeof e.status === 'number' && e.response) {
    const status = e.status;
    const h = e.response.headers ?? {};
    const data = e.response.data as { message?: unknown } | undefined;
    const said = typeof data?.message === 'string' ? data.message : '';
    const head = `GitHub answered ${status} for ${label}${where}`;
    const rateLimited =
      status === 429 || (status === 403 && (h['x-ratelimit-remaining'] === '0' || h['retry-after'] !== undefined || /rate limit/i.test(said)));
    if (rateLimited) {
      const reset = Number(h['x-ratelimit-reset']);
      const waitMs =
        h['retry-after'] !== undefined
          ? Number(h['retry-after']) * 1000
          : h['x-ratelimit-remaining'] === '0' && reset > 0
            ? reset * 1000 - now() + 1000
            : 60_000; // GitHub: without retry-after, wait at least a minute after a secondary limit
      const wait = Number.isFinite(waitMs) ? Math.max(0, waitMs) : 60_000;
      if (wait <= maxWaitMs) return { retry: true, status, waitMs: wait, message: `${head}: rate limited (${said || 'too many requests'})` };
      const anonymous =
        h['x-ratelimit-limit'] === '60' || !e.request?.headers?.authorization ? '; set GITHUB_TOKEN to get 5000 requests/hour instead of 60' : '';
      return {
        retry: false,
        status,
        message: `${head}: ${said || 'rate limited'} GitHub asks us to wait ${Math.ceil(wait / 1000)} s, more than the ${Math.round(maxWaitMs / 1000)} s we wait — try again later${anonymous}`,
      };
    }
    if (status >= 500 || status === 408) return { retry: true, status, message: `${head}: ${said || 'server error'}` };
    const advice: Record<number, string> = {
      401: 'bad credentials — GITHUB_TOKEN is wrong, expired or revoked; set a valid token (or unset it to read public repositories anonymously)',
      403: `${said || 'forbidden'} — GITHUB_TOKEN lacks access to this repository; give it read access to its contents`,
      404: 'repository or branch not found — check `repo`/`ref` in the sources file (a private repository also answers 404 when GITHUB_TOKEN cannot read it)',
      409: `${said || 'conflict'} — the repository has no commits yet; push docs to it or remove it from the sources file`,
      422: `${said || 'unprocessable'} — check that \`ref\` in the sources file names an existing branch, tag or commit`,
    };
    return { retry: false, status, message: `${head}: ${advice[status] ?? said}` };
  }
  const chain = causes(err);
  const network = chain.some(
    (c) =>
      (typeof c.code === 'string' && NETWORK_CODES.has(c.code)) ||
      c.name === 'TimeoutError' ||
      c.name === 'AbortError' ||
      (typeof c.message === 'string' && NETWORK_MESSAGES.test(c.message)),
  );
  const messages = [...new Set(chain.map((c) => (typeof c.message === 'string' ? c.message : '')).filter(Boolean))];
  const text = messages.length > 1 ? `${messages[0]} (${messages.slice(1).join('; ')})` : (messages[0] ?? String(err));
  return { retry: network, message: `reading ${label}${where} from GitHub failed: ${text}` };
}

/**
 * Run one GitHub read, retrying what is worth retrying: network errors and timeouts, 5xx, truncated
 * responses, and rate limits (waiting as long as `retry-after` / `x-ratelimit-reset` say, up to
 * `maxWaitMs`). 401/403/404/409/422 are final at once. Always rejects with a GitHubReadError whose message
 * names `label` (e.g. "devsapp/fc"), the request and the fix; `attempt` gets a per-attempt AbortSignal.
 */
export async function withRetry<T>(label: string, attempt: (signal: AbortSignal) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retries = 4, minTimeout = 1000, maxTimeout = 20_000, randomize = true, maxWaitMs = 60_000, timeoutMs = 30_000 } = options;
  const now = options.now ?? Date.now;
  let attempts = 0;
  try {
    return await pRetry(
      async () => {
        const release = options.slot ? await options.slot(options.signal) : undefined;
        attempts++;
        const timeout = AbortSignal.timeout(timeoutMs);
        const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
        try {
          return await attempt(signal);
        } catch (err) {
          if (options.signal?.aborted) throw err;
          const verdict = classify(err, label, maxWaitMs, now);
          if (!verdict.retry) throw new AbortError(new GitHubReadError(verdict.message, verdict.status, { cause: err }));
          throw new Transient(verdict, err);
        } finally {
          release?.();
        }
      },
      {
        retries,
        minTimeout,
        maxTimeout,
        randomize,
        signal: options.signal,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
          if (!(error instanceof Transient) || retriesLeft === 0) return;
          const extra = Math.max(0, (error.verdict.waitMs ?? 0) - retryDelay);
          options.onRetry?.(`${error.message}; retry ${attemptNumber} of ${retries} in ${((retryDelay + extra) / 1000).toFixed(1)} s`);
          if (extra > 0) {
            await sleep(extra, undefined, options.signal ? { signal: options.signal } : {}).catch((err: unknown) => {
              throw options.signal?.aborted ? options.signal.reason : err;
            });
          }
        },
      },
    );
  } catch (err) {
    if (!(err instanceof Transient)) throw err;
    const advice =
      err.verdict.status === undefined ? 'check the network and GITHUB_API_URL' : 'GitHub may be having trouble; the next push or a rebuild will try again';
    throw new GitHubReadError(`${err.message}; gave up after ${attempts} attempts — ${advice}`, err.verdict.status, { cause: err.cause });
  }
}
