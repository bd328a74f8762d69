/**
 * The FC emulator's async queue against a recording function: the task id rules FC applies (409 on a
 * repeat, 128 KB), x-fc-async-delay, one task at a time per single-concurrency function, a retry
 * schedule that doubles, FC's headers on each delivery and the onFailure destination event.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDestinationEvent } from '../../functions/fc/parseDestinationEvent.ts';
import { createAsyncQueue } from '../support/fcEmulator/createAsyncQueue.ts';
import type { Dispatched, FunctionRunner } from '../support/fcEmulator/createFunctionRunner.ts';

type Call = { at: number; headers: Record<string, string>; body: string };

function recordingFunction(name: string, answer: (call: Call) => Dispatched, props: Record<string, unknown> = {}) {
  const calls: Call[] = [];
  let running = 0;
  let overlapped = false;
  const runner = {
    name,
    props: { functionName: name, instanceConcurrency: 1, ...props },
    starts: [],
    instance: () => undefined,
    recycle: async () => {},
    close: async () => {},
    async dispatch(req: { headers: Record<string, string>; body?: Buffer }) {
      if (++running > 1) overlapped = true;
      const call = { at: Date.now(), headers: req.headers, body: req.body?.toString() ?? '' };
      calls.push(call);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return answer(call);
    },
  } as unknown as FunctionRunner;
  return { runner, calls, overlapped: () => overlapped };
}

const ok = (): Dispatched => ({ status: 200, headers: {}, body: Buffer.from('{}') });
const fnError = (): Dispatched => ({ status: 404, headers: { 'x-fc-status': '404' }, body: Buffer.from('{"error":"boom"}') });
const creds = () => ({ accessKeyId: 'STS.k', accessKeySecret: 's', securityToken: 't' });

describe('FC emulator: async queue', () => {
  it("refuses a repeated task id (409) and payloads over 128 KB; runs one task at a time with FC's headers", async () => {
    const f = recordingFunction('b', ok);
    const q = createAsyncQueue({ runners: new Map([['b', f.runner]]), credentialsFor: creds, accountId: '1', region: 'cn-hangzhou' });
    assert.equal(q.accept('b', 't1', Buffer.from('{"n":1}')), undefined);
    assert.equal(q.accept('b', 't2', Buffer.from('{"n":2}')), undefined);
    assert.equal(q.accept('b', 't1', Buffer.from('{"n":3}'))?.status, 409);
    assert.equal(q.accept('b', 't3', Buffer.alloc(128 * 1024 + 1))?.code, 'EntityTooLarge');
    assert.equal(q.accept('nope', 't4', Buffer.from('{}'))?.status, 404);
    await q.settled();
    assert.deepEqual(
      f.calls.map((c) => c.body),
      ['{"n":1}', '{"n":2}'],
    );
    assert.equal(f.overlapped(), false);
    const h = f.calls[0]!.headers;
    assert.equal(h['x-fc-async-task-id'], 't1');
    assert.equal(h['x-fc-invocation-type'], 'Async');
    assert.match(h['x-fc-request-id']!, /^1-/);
    assert.deepEqual([h['x-fc-access-key-id'], h['x-fc-access-key-secret'], h['x-fc-security-token']], ['STS.k', 's', 't']);
  });

  it('starts a delayed task after its delay without holding up the ones behind it', async () => {
    const f = recordingFunction('b', ok);
    const q = createAsyncQueue({ runners: new Map([['b', f.runner]]), credentialsFor: creds, accountId: '1', region: 'cn-hangzhou' });
    const t0 = Date.now();
    q.accept('b', 'later', Buffer.from('"later"'), 150);
    q.accept('b', 'now', Buffer.from('"now"'));
    await q.settled();
    assert.deepEqual(
      f.calls.map((c) => c.body),
      ['"now"', '"later"'],
    );
    assert.ok(f.calls[1]!.at - t0 >= 150);
  });

  it("retries a failed task maxAsyncRetryAttempts times with a doubling backoff, then sends FC's destination event", async () => {
    const failing = recordingFunction('b', fnError, {
      asyncInvokeConfig: { maxAsyncRetryAttempts: 2, destinationConfig: { onFailure: { destination: 'acs:fc:cn-hangzhou:1:functions/d' } } },
    });
    const dest = recordingFunction('d', ok);
    const q = createAsyncQueue({
      runners: new Map([
        ['b', failing.runner],
        ['d', dest.runner],
      ]),
      credentialsFor: creds,
      accountId: '1',
      region: 'cn-hangzhou',
      backoffMs: 40,
    });
    q.accept('b', 'job', Buffer.from('{"build":{"id":"x"}}'));
    await q.settled();
    const at = failing.calls.map((c) => c.at);
    assert.equal(at.length, 3);
    assert.ok(at[1]! - at[0]! >= 40 && at[2]! - at[1]! >= 80, `backoff ${at[1]! - at[0]!}, ${at[2]! - at[1]!}`);
    assert.equal(q.tasks.get('job')!.status, 'Failed');
    assert.equal(dest.calls.length, 1);
    const event = JSON.parse(dest.calls[0]!.body);
    assert.deepEqual(Object.keys(event).sort(), ['requestContext', 'requestPayload', 'responseContext', 'responsePayload', 'timestamp']);
    assert.deepEqual(Object.keys(event.requestContext).sort(), ['approximateInvokeCount', 'condition', 'functionArn', 'requestId']);
    assert.equal(event.requestContext.functionArn, 'acs:fc:cn-hangzhou:1:functions/b');
    assert.equal(event.responseContext.statusCode, 404);
    const parsed = parseDestinationEvent(event)!;
    assert.deepEqual([parsed.condition, parsed.invokeCount, parsed.functionError], ['UnhandledInvocationError', 3, 'UnhandledInvocationError']);
    assert.deepEqual(parsed.payload, { build: { id: 'x' } });
    assert.equal(parsed.responsePayload, '{"error":"boom"}');
  });
});
