/**
 * FC's asynchronous invocation, as the emulator runs it: a task per accepted invocation (its id from
 * x-fc-async-task-id, refused with 409 when repeated), delivered to the function's POST /invoke with
 * the headers FC sends; an attempt fails on a 5xx, an `x-fc-status: 404` (the custom runtime's
 * "function error") or no answer; it is retried up to asyncInvokeConfig.maxAsyncRetryAttempts times
 * with a doubling backoff; after the last failure the onFailure destination gets FC's destination
 * event. Tasks of one function run one at a time when its instanceConcurrency is 1.
 */
import { randomUUID } from 'node:crypto';
import type { Dispatched, FunctionRunner } from './createFunctionRunner.ts';
import { MAX_ASYNC_PAYLOAD } from './createAcs3Verifier.ts';

export interface AsyncTask {
  taskId: string;
  functionName: string;
  payload: Buffer;
  status: 'Enqueued' | 'Running' | 'Succeeded' | 'Failed';
  attempts: Array<{ requestId: string; status: number; fcStatus?: string; body: string }>;
  /** The destination event sent after the last failure, if any. */
  destinationEvent?: Record<string, unknown>;
  acceptedAt: number;
  done: Promise<void>;
}

export interface AsyncQueue {
  tasks: Map<string, AsyncTask>;
  /** Accept an invocation (to start after `delayMs`, x-fc-async-delay): undefined when accepted, else FC's refusal. */
  accept(functionName: string, taskId: string, payload: Buffer, delayMs?: number): { status: number; code: string; message: string } | undefined;
  /** Every task accepted so far has finished (retries and destinations included). */
  settled(): Promise<void>;
}

const failedAttempt = (d: Dispatched) => d.status >= 500 || d.headers['x-fc-status'] === '404';

export function createAsyncQueue({
  runners,
  credentialsFor,
  accountId,
  region,
  backoffMs = 1000,
  hold = [],
}: {
  runners: Map<string, FunctionRunner>;
  credentialsFor: (fn: string) => { accessKeyId: string; accessKeySecret: string; securityToken: string };
  accountId: string;
  region: string;
  backoffMs?: number;
  /** Functions whose tasks are accepted and kept, never delivered (a test looks at the webhook alone). */
  hold?: string[];
}): AsyncQueue {
  const tasks = new Map<string, AsyncTask>();
  const chains = new Map<string, Promise<void>>();

  const attempt = async (runner: FunctionRunner, task: AsyncTask): Promise<Dispatched & { requestId: string }> => {
    const requestId = `1-${randomUUID()}`;
    const c = credentialsFor(runner.name);
    const d = await runner.dispatch({
      method: 'POST',
      path: '/invoke',
      headers: {
        'content-type': 'application/octet-stream',
        'x-fc-request-id': requestId,
        'x-fc-function-name': runner.name,
        'x-fc-function-memory': String(runner.props.memorySize ?? 512),
        'x-fc-function-timeout': String(runner.props.timeout ?? 60),
        'x-fc-invocation-type': 'Async',
        'x-fc-async-task-id': task.taskId,
        'x-fc-region': region,
        'x-fc-account-id': accountId,
        'x-fc-access-key-id': c.accessKeyId,
        'x-fc-access-key-secret': c.accessKeySecret,
        'x-fc-security-token': c.securityToken,
      },
      body: task.payload,
    });
    return { ...d, requestId };
  };

  const run = async (task: AsyncTask): Promise<void> => {
    const runner = runners.get(task.functionName)!;
    const cfg = (runner.props.asyncInvokeConfig ?? {}) as { maxAsyncRetryAttempts?: number; destinationConfig?: { onFailure?: { destination?: string } } };
    const retries = cfg.maxAsyncRetryAttempts ?? 3;
    let last: (Dispatched & { requestId: string }) | undefined;
    task.status = 'Running';
    for (let i = 0; i <= retries; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (i - 1)));
      last = await attempt(runner, task).catch((err: Error) => ({
        status: 502,
        headers: {},
        body: Buffer.from(`the instance could not start: ${err.message}`),
        requestId: 'none',
      }));
      const fcStatus = last.headers['x-fc-status'];
      task.attempts.push({ requestId: last.requestId, status: last.status, ...(fcStatus ? { fcStatus } : {}), body: last.body.toString('utf8') });
      if (!failedAttempt(last)) {
        task.status = 'Succeeded';
        return;
      }
    }
    task.status = 'Failed';
    const destination = cfg.destinationConfig?.onFailure?.destination;
    const target = destination && /^acs:fc:[^:]+:[^:]+:functions\/([^/]+)$/.exec(destination)?.[1];
    if (!target) return;
    // FC's destination event ("result callback"), the original payload as text.
    const event = {
      timestamp: Date.now(),
      requestContext: {
        requestId: last!.requestId,
        functionArn: `acs:fc:${region}:${accountId}:functions/${task.functionName}`,
        condition: 'UnhandledInvocationError',
        approximateInvokeCount: task.attempts.length,
      },
      requestPayload: task.payload.toString('utf8'),
      responseContext: { statusCode: last!.status, functionError: 'UnhandledInvocationError' },
      responsePayload: last!.body.toString('utf8'),
    };
    task.destinationEvent = event;
    const body = Buffer.from(JSON.stringify(event));
    if (body.length > MAX_ASYNC_PAYLOAD) return; // FC cannot deliver it either
    accept(target, `dest-${randomUUID()}`, body);
  };

  function accept(functionName: string, taskId: string, payload: Buffer, delayMs = 0) {
    if (!runners.has(functionName)) return { status: 404, code: 'FunctionNotFound', message: `function '${functionName}' does not exist` };
    if (payload.length > MAX_ASYNC_PAYLOAD)
      return { status: 400, code: 'EntityTooLarge', message: `payload size exceeds maximum allowed size (${MAX_ASYNC_PAYLOAD} bytes)` };
    if (tasks.has(taskId)) return { status: 409, code: 'StatefulAsyncInvocationAlreadyExists', message: `async task ${taskId} already exists` };
    const task = { taskId, functionName, payload, status: 'Enqueued', attempts: [], acceptedAt: Date.now() } as unknown as AsyncTask;
    tasks.set(taskId, task);
    if (hold.includes(functionName)) {
      task.done = Promise.resolve();
      return undefined;
    }
    const oneAtATime = Number(runners.get(functionName)!.props.instanceConcurrency ?? 1) === 1;
    // A delayed task waits outside the line: it does not hold up the tasks behind it.
    const start = () => {
      const done = (oneAtATime ? (chains.get(functionName) ?? Promise.resolve()) : Promise.resolve()).then(() => run(task));
      if (oneAtATime)
        chains.set(
          functionName,
          done.catch(() => {}),
        );
      return done;
    };
    task.done = delayMs > 0 ? new Promise((r) => setTimeout(r, delayMs)).then(start) : start();
    return undefined;
  }

  return {
    tasks,
    accept,
    async settled() {
      for (;;) {
        const pending = [...tasks.values()].filter((t) => !hold.includes(t.functionName) && (t.status === 'Enqueued' || t.status === 'Running'));
        if (!pending.length) return;
        await Promise.all(pending.map((t) => t.done.catch(() => {})));
      }
    },
  };
}
