import type { Octokit } from '@octokit/rest';
import type { RequestGate } from './requestGate.ts';
import { withRetry, type RetryOptions } from './withRetry.ts';

/** Requests sent, and how many of them GitHub charged to the rate limit. */
export interface RequestCount {
  total: number;
  counted: number;
}

/**
 * Counts every HTTP request sent to GitHub (each attempt, each redirect hop). A request is `counted`
 * when GitHub charges it: not a 304 (free when authorized), not a 5xx, a rate-limit refusal or a
 * connection that never answered, not the codeload hop of a tarball.
 */
export class RequestMeter {
  readonly count: RequestCount = { total: 0, counted: 0 };
  readonly #parent: RequestMeter | undefined;
  constructor(parent?: RequestMeter) {
    this.#parent = parent;
  }
  record(status: number | undefined, headers: Record<string, unknown> = {}, hops = 1): void {
    const refused = (status === 403 || status === 429) && (headers['retry-after'] !== undefined || String(headers['x-ratelimit-remaining']) === '0');
    const counted = status !== undefined && status !== 304 && status < 500 && !refused ? 1 : 0;
    this.count.total += hops;
    this.count.counted += counted;
    this.#parent?.record(status, headers, hops);
  }
}

/** A conditional request's remembered answer: validators and the value derived from the body. */
export interface Validator {
  etag?: string;
  lastModified?: string;
  value: unknown;
}

export interface ValidatorStore {
  get(key: string): Validator | undefined;
  set(key: string, value: Validator): void;
}

/** What every GitHub read of one fetch shares. */
export interface CallContext {
  octokit: Octokit;
  gate: RequestGate;
  meter: RequestMeter;
  retry: RetryOptions;
  /** Conditional requests (ETag / Last-Modified); absent when every cache is ignored. */
  validators?: ValidatorStore;
}

interface Answer {
  status: number;
  url?: string;
  headers: Record<string, string | number | undefined>;
}

export interface CallOptions<T> {
  /** Rate-limit budget the request uses (default `core`). */
  resource?: string;
  timeoutMs?: number;
  /** Remember validators under this key and send them; a 304 answers the remembered value. */
  cacheKey?: string;
  /** An ETag known without asking (e.g. `"<sha>"` for a commit); sent when none is remembered. */
  etag?: string;
  /** The value a 304 stands for when `etag` (not a remembered validator) was sent. */
  notModifiedValue?: T;
  /** Redirect hops beyond the first request, from the final response (e.g. tarball → codeload). */
  hops?: (res: Answer) => number;
}

const answerOf = (err: unknown): Answer | undefined => {
  const e = err as { status?: unknown; response?: Answer } | undefined;
  return typeof e?.status === 'number' && e.response && typeof e.response.status === 'number' ? e.response : undefined;
};

/**
 * One GitHub read: waits for a turn at the gate, sends the remembered validators, retries what is
 * worth retrying (withRetry), meters every attempt and tells the gate what GitHub said about the
 * rate limit. `read` turns the response into the value, inside the same attempt (a download cut
 * short is retried whole). Resolves `{ value, notModified }`.
 */
export async function call<T>(
  ctx: CallContext,
  label: string,
  send: (signal: AbortSignal, headers: Record<string, string>) => Promise<Answer & { data: unknown }>,
  read: (res: Answer & { data: unknown }, signal: AbortSignal) => Promise<T> | T,
  options: CallOptions<T> = {},
): Promise<{ value: T; notModified: boolean }> {
  const remembered = options.cacheKey ? ctx.validators?.get(options.cacheKey) : undefined;
  const conditional: Record<string, string> = {};
  const etag = remembered?.etag ?? (ctx.validators ? options.etag : undefined);
  if (etag) conditional['if-none-match'] = etag;
  if (remembered?.lastModified) conditional['if-modified-since'] = remembered.lastModified;
  const resource = options.resource ?? 'core';
  const retry: RetryOptions = {
    ...ctx.retry,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    slot: (signal) => ctx.gate.acquire(signal, resource),
  };
  return withRetry(
    label,
    async (signal) => {
      let res: Answer & { data: unknown };
      try {
        res = await send(signal, conditional);
      } catch (err) {
        const answer = answerOf(err);
        ctx.meter.record(answer?.status, answer?.headers);
        if (answer) ctx.gate.observe(answer.status, answer.headers);
        if (answer?.status === 304 && etag) {
          const value = (remembered?.etag === etag ? remembered.value : options.notModifiedValue) as T;
          return { value, notModified: true };
        }
        throw err;
      }
      ctx.meter.record(res.status, res.headers, 1 + (options.hops?.(res) ?? 0));
      ctx.gate.observe(res.status, res.headers);
      const value = await read(res, signal);
      const tag = res.headers.etag;
      const modified = res.headers['last-modified'];
      if (options.cacheKey && ctx.validators && (tag !== undefined || modified !== undefined)) {
        ctx.validators.set(options.cacheKey, {
          ...(tag !== undefined ? { etag: String(tag) } : {}),
          ...(modified !== undefined ? { lastModified: String(modified) } : {}),
          value,
        });
      }
      return { value, notModified: false };
    },
    retry,
  );
}
