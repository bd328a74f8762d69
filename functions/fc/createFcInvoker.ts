import { type AcsCredentials, signAcs3 } from './signAcs3.ts';

export interface FcInvokerOptions {
  /** FC 3.0 API endpoint, e.g. https://<account id>.cn-hangzhou.fc.aliyuncs.com */
  endpoint: string;
  functionName: string;
  /** Read per call: Function Compute rotates the STS credentials it hands a function. */
  credentials: () => AcsCredentials;
  fetch?: typeof globalThis.fetch;
}

export interface AsyncInvocation {
  /** FC already has a task with this id: the delivery was handed over before. */
  duplicate: boolean;
  requestId?: string;
}

/**
 * Invoke a function asynchronously through the FC 3.0 API (InvokeFunction with
 * `x-fc-invocation-type: Async`). The task id makes the hand-over idempotent: FC refuses a second
 * task with the same id, so a redelivered webhook never starts a second build.
 */
export function createFcInvoker(options: FcInvokerOptions): (payload: unknown, taskId: string) => Promise<AsyncInvocation> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return async (payload, taskId) => {
    const url = new URL(`/2023-03-30/functions/${encodeURIComponent(options.functionName)}/invocations`, options.endpoint);
    const body = JSON.stringify(payload);
    if (Buffer.byteLength(body) > 128 * 1024) throw new Error(`job description is ${Buffer.byteLength(body)} bytes; FC async payloads are limited to 128 KB`);
    const headers = signAcs3(
      {
        method: 'POST',
        url,
        body,
        action: 'InvokeFunction',
        version: '2023-03-30',
        headers: { 'content-type': 'application/json', 'x-fc-invocation-type': 'Async', 'x-fc-async-task-id': taskId },
      },
      options.credentials(),
    );
    delete headers.host;
    const res = await fetchImpl(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
    const requestId = res.headers.get('x-fc-request-id') ?? undefined;
    if (res.ok) return requestId ? { duplicate: false, requestId } : { duplicate: false };
    const text = await res.text();
    let code = '';
    try {
      code = String((JSON.parse(text) as { Code?: string; code?: string }).Code ?? (JSON.parse(text) as { code?: string }).code ?? '');
    } catch {
      /* not JSON */
    }
    if (res.status === 409 || /AlreadyExist/i.test(code)) return { duplicate: true };
    throw new Error(`Function Compute refused the async invocation of ${options.functionName}: HTTP ${res.status} ${code || text.slice(0, 200)}`);
  };
}
