/**
 * What Function Compute sends to an async invocation's destination (here: the onFailure
 * destination, which points back at the builder). Documented shape ("result callback"):
 *   { timestamp, requestContext: { requestId, functionArn, condition, approximateInvokeCount },
 *     requestPayload, responseContext: { statusCode, functionError }, responsePayload }
 * where requestPayload is the original invocation payload.
 */
export interface DestinationEvent {
  timestamp?: number;
  requestId?: string;
  functionArn?: string;
  /** Why the invocation ended up here, e.g. "UnhandledInvocationError". */
  condition: string;
  /** Attempts FC made, when it says. */
  invokeCount?: number;
  statusCode?: number;
  functionError?: string;
  /** The original payload, parsed when it is JSON (as text or base64), else as received. */
  payload: unknown;
  responsePayload?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function decodePayload(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    // not JSON text; maybe base64 of it
  }
  if (/^[A-Za-z0-9+/=\s]+$/.test(raw)) {
    try {
      return JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    } catch {
      // neither
    }
  }
  return raw;
}

/** The destination event in `body`, or undefined when `body` is not one (e.g. a build job). */
export function parseDestinationEvent(body: unknown): DestinationEvent | undefined {
  if (!isObject(body) || !isObject(body.requestContext) || !isObject(body.responseContext) || !('requestPayload' in body)) return undefined;
  const rc = body.requestContext;
  const event: DestinationEvent = { condition: str(rc.condition) ?? 'unknown', payload: decodePayload(body.requestPayload) };
  const set = <K extends keyof DestinationEvent>(key: K, value: DestinationEvent[K] | undefined) => {
    if (value !== undefined) event[key] = value;
  };
  set('timestamp', num(body.timestamp));
  set('requestId', str(rc.requestId));
  set('functionArn', str(rc.functionArn));
  set('invokeCount', num(rc.approximateInvokeCount));
  set('statusCode', num(body.responseContext.statusCode));
  set('functionError', str(body.responseContext.functionError));
  set('responsePayload', str(body.responsePayload));
  return event;
}
