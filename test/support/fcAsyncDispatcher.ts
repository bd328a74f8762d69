/**
 * Function Compute's async side, small, for tests: runs the tasks the FC API stand-in accepted
 * (task-id de-duplication happens there) against a function's POST /invoke over real HTTP, after
 * the task's `x-fc-async-delay`, at most `concurrency` at a time (s.yaml's reservedConcurrency;
 * over it, FC's throttling backoff), retrying a failed invocation (`x-fc-status` / 5xx) up to `retries` times, then sending FC's
 * onFailure destination event. The full emulator (code packages, freezing) lives elsewhere.
 */
import type { RecordedTask } from './fcApiStandIn.ts';

export interface Invocation {
  taskId: string;
  status: number;
  ms: number;
  body: any;
}

export interface FcAsyncDispatcher {
  dispatch(task: RecordedTask): void;
  /** Every invocation made so far, in the order they ended. */
  invocations: Invocation[];
  /** Every onFailure destination event sent, with its size in bytes. */
  destinations: Array<{ taskId: string; bytes: number; status: number }>;
  /** false: run tasks at once, as if FC ignored `x-fc-async-delay` (default true). */
  honourDelay: boolean;
  /** How often an invocation was throttled by the concurrency limit (and retried later). */
  counts: { throttled: number };
  /** Resolves once nothing is waiting, delayed or running. */
  idle(): Promise<void>;
}

export function createFcAsyncDispatcher(options: { target: () => string; concurrency?: number; retries?: number; retryDelayMs?: number }): FcAsyncDispatcher {
  const concurrency = options.concurrency ?? 1;
  const invocations: Invocation[] = [];
  const destinations: FcAsyncDispatcher['destinations'] = [];
  const counts = { throttled: 0 };
  let pending = 0; // delayed + ready + running
  let running = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (pending > 0) return;
    for (const w of waiters) w();
    waiters = [];
  };

  const post = async (body: string) => {
    const started = performance.now();
    const res = await fetch(`${options.target()}/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-fc-request-id': `req-${Math.random().toString(16).slice(2)}` },
      body,
    });
    const text = await res.text();
    return { status: res.status, failed: res.status >= 500 || res.headers.get('x-fc-status') !== null, ms: performance.now() - started, text };
  };
  const destinationEvent = (task: RecordedTask, attempts: number, answer: string) =>
    JSON.stringify({
      timestamp: Date.now(),
      requestContext: {
        requestId: task.requestId,
        functionArn: `acs:fc:cn-hangzhou:123456789:functions/${task.functionName}`,
        condition: 'UnhandledInvocationError',
        approximateInvokeCount: attempts,
      },
      requestPayload: task.body,
      responseContext: { statusCode: 200, functionError: 'UnhandledInvocationError' },
      responsePayload: answer,
    });

  const tryRun = (task: RecordedTask, attempt: number, throttled: number): void => {
    if (running >= concurrency) {
      // FC retries an async invocation over the concurrency limit with binary exponential backoff
      // (0.5 s, 1 s, 2 s, 4 s, …), not counted as an attempt.
      counts.throttled++;
      setTimeout(() => tryRun(task, attempt, throttled + 1), 500 * 2 ** throttled);
      return;
    }
    running++;
    void post(task.body)
      .then(async (r) => {
        invocations.push({ taskId: task.taskId, status: r.status, ms: r.ms, body: r.text ? JSON.parse(r.text) : undefined });
        if (!r.failed) return;
        if (attempt < (options.retries ?? 0)) {
          pending++;
          setTimeout(() => tryRun(task, attempt + 1, 0), options.retryDelayMs ?? 100);
        } else {
          const event = destinationEvent(task, attempt + 1, r.text);
          const sent = await post(event);
          destinations.push({ taskId: task.taskId, bytes: Buffer.byteLength(event), status: sent.status });
        }
      })
      .catch((err) => invocations.push({ taskId: task.taskId, status: 0, ms: 0, body: String(err) }))
      .finally(() => {
        running--;
        pending--;
        settle();
      });
  };

  const dispatcher: FcAsyncDispatcher = {
    invocations,
    destinations,
    counts,
    honourDelay: true,
    dispatch(task) {
      pending++;
      const delayMs = dispatcher.honourDelay ? Number(task.headers['x-fc-async-delay'] ?? 0) * 1000 : 0;
      setTimeout(() => tryRun(task, 0, 0), delayMs);
    },
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  };
  return dispatcher;
}
