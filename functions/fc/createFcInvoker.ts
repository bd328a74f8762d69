import { type AcsCredentials, signAcs3 } from './signAcs3.ts';

export interface FcInvokerOptions {
  /** FC 3.0 API endpoint, e.g. https://<account id>.cn-hangzhou.fc.aliyuncs.com */
  endpoint: string;
  functionName: string;
  /** Read per call: Function Compute rotates the STS credentials it hands a function. */
  credentials: () => AcsCredentials;
  fetch?: typeof globalThis.fetch;
  /** Give up on FC's answer after this long (the webhook must still answer GitHub within 10 s). */
  timeoutMs?: number;
}

export interface InvokeOptions {
  /** Run it this many seconds later (`x-fc-async-delay`, whole seconds, 0 to 3600). */
  delaySeconds?: number;
}

export interface AsyncInvocation {
  /** FC already has a task with this id: the delivery was handed over before. */
  duplicate: boolean;
  requestId?: string;
}

/** FC's async payload limit (FC 3.0 "web functions" limits: async request bodies up to 128 KB). */
export const MAX_ASYNC_PAYLOAD_BYTES = 128 * 1024;
/** FC's rule for async task ids: a letter or "_" first, then letters, digits, "_" and "-", at most 128. */
export const TASK_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
/** 409 codes that mean something other than "this task id exists". */
const NOT_A_DUPLICATE = new Set(['ConcurrentUpdateError']);

/** FC's deferred invocation: `x-fc-async-delay`, seconds in [0, 3600] (FC 3.0 "asynchronous invocation" docs). */
function delayHeader(seconds: number | undefined): Record<string, string> {
  if (!seconds || seconds <= 0) return {};
  return { 'x-fc-async-delay': String(Math.min(3600, Math.ceil(seconds))) };
}

/** The `Code` of an FC 3.0 error body (`{Code, Message, RequestId}`), or the FC 2.0 `errorCode`. */
function errorCode(text: string): string {
  try {
    const body = JSON.parse(text) as { Code?: unknown; code?: unknown; errorCode?: unknown };
    return String(body.Code ?? body.code ?? body.errorCode ?? '');
  } catch {
    return '';
  }
}

/**
 * Invoke a function asynchronously through the FC 3.0 API (InvokeFunction with
 * `x-fc-invocation-type: Async`). The task id makes the hand-over idempotent: FC refuses a second
 * task with the same id (HTTP 409), so a redelivered webhook never starts a second build.
 * Resolves only once FC has accepted (or already had) the task; throws otherwise.
 */
export type FcInvoke = (payload: unknown, taskId: string, invokeOptions?: InvokeOptions) => Promise<AsyncInvocation>;

export function createFcInvoker(options: FcInvokerOptions): FcInvoke {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 8_000;
  return async (payload, taskId, invokeOptions = {}) => {
    if (!TASK_ID.test(taskId))
      throw new Error(`"${taskId}" is not a valid FC async task id (a letter or "_" first, then letters, digits, "_" or "-", at most 128)`);
    const url = new URL(`/2023-03-30/functions/${encodeURIComponent(options.functionName)}/invocations`, options.endpoint);
    const body = JSON.stringify(payload);
    const size = Buffer.byteLength(body);
    if (size > MAX_ASYNC_PAYLOAD_BYTES) throw new Error(`job description is ${size} bytes; FC async payloads are limited to ${MAX_ASYNC_PAYLOAD_BYTES} bytes`);
    const headers = signAcs3(
      {
        method: 'POST',
        url,
        body,
        action: 'InvokeFunction',
        version: '2023-03-30',
        headers: {
          'content-type': 'application/json',
          'x-fc-invocation-type': 'Async',
          'x-fc-async-task-id': taskId,
          ...delayHeader(invokeOptions.delaySeconds),
        },
      },
      options.credentials(),
    );
    delete headers.host; // fetch sets it from the URL (the same value that was signed)
    let res: Response;
    try {
      res = await fetchImpl(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new Error(`could not reach Function Compute at ${url.origin} to invoke ${options.functionName}: ${(err as Error).message}`, { cause: err });
    }
    const requestId = res.headers.get('x-fc-request-id') ?? undefined;
    const text = await res.text();
    if (res.ok) return requestId ? { duplicate: false, requestId } : { duplicate: false };
    const code = errorCode(text);
    if ((res.status === 409 && !NOT_A_DUPLICATE.has(code)) || /AlreadyExist/i.test(code))
      return requestId ? { duplicate: true, requestId } : { duplicate: true };
    const hint =
      res.status === 403
        ? ' (check the function role: it needs fc:InvokeFunction, e.g. the AliyunFCInvocationAccess policy)'
        : res.status === 404
          ? ` (is BUILDER_FUNCTION_NAME right and the function deployed?)`
          : '';
    throw new Error(`Function Compute refused the async invocation of ${options.functionName}: HTTP ${res.status} ${code || text.slice(0, 200)}${hint}`);
  };
}
