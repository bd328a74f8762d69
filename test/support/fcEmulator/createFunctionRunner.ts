/**
 * Runs one function the way FC schedules it: an instance started cold on the first request and
 * kept; requests forwarded over kept-alive connections (at most instanceConcurrency at a time); the
 * instance frozen whenever no request is in flight and thawed for the next. A connection the runtime
 * closed while idle is not noticed until a request is routed onto it: that request gets a 502, as on
 * FC when the runtime's idle timeout is below FC's (the custom-runtime requirement).
 */
import { Agent, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { fcPaths } from './fcPaths.ts';
import { startInstance, type Instance } from './startInstance.ts';

export interface Dispatched {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface FunctionRunner {
  name: string;
  props: Record<string, any>;
  dispatch(req: { method: string; path: string; headers: Record<string, string>; body?: Buffer }): Promise<Dispatched>;
  /** Stop the instance: the next request starts a new one (a cold start). */
  recycle(): Promise<void>;
  /** Start-up figures of every instance so far. */
  starts: Array<{ id: string; startMs: number }>;
  instance(): Instance | undefined;
  close(): Promise<void>;
}

const badGateway = (message: string): Dispatched => ({
  status: 502,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ Code: 'BadGateway', Message: message })),
});

export function createFunctionRunner({
  props,
  code,
  root,
  fcEnv,
  freeze = true,
  resumeDelayMs = 25,
}: {
  props: Record<string, any>;
  code: string;
  root: string;
  fcEnv: () => Record<string, string>;
  freeze?: boolean;
  resumeDelayMs?: number;
}): FunctionRunner {
  const name = String(props.functionName);
  const limit = Number(props.instanceConcurrency ?? 1);
  let instance: Promise<Instance> | undefined;
  let agent: Agent | undefined;
  let idleClosed = 0;
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const starts: FunctionRunner['starts'] = [];
  let generation = 0;
  let current: Instance | undefined;

  const ensure = (): Promise<Instance> => {
    // An instance that died (crashed, killed) is replaced by a new one, as FC does.
    if (current && (current.child.exitCode !== null || current.child.signalCode !== null)) {
      instance = undefined;
      current = undefined;
      agent?.destroy();
    }
    if (!instance) {
      const gen = ++generation;
      const paths = fcPaths({ code, instanceRoot: join(root, `${name}-${gen}`), layers: props.layers ?? [] });
      agent = new Agent({ keepAlive: true, maxSockets: limit });
      idleClosed = 0;
      const tracked = new WeakSet<Socket>();
      const a = agent;
      // A socket handed back to the pool is idle; if it closes before it is reused, the runtime closed it.
      a.on('free', (socket: Socket) => {
        (socket as Socket & { idle?: boolean }).idle = true;
        if (tracked.has(socket)) return;
        tracked.add(socket);
        socket.on('close', () => {
          if ((socket as Socket & { idle?: boolean }).idle && agent === a) idleClosed++;
        });
      });
      instance = startInstance({ props, paths, fcEnv: fcEnv() }).then((i) => {
        starts.push({ id: i.id, startMs: i.startMs });
        current = i;
        return i;
      });
      instance.catch(() => (instance = undefined));
    }
    return instance;
  };

  const send = (port: number, req: { method: string; path: string; headers: Record<string, string>; body?: Buffer }) =>
    new Promise<Dispatched>((resolve) => {
      const r = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers, agent: agent! }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', (err) => resolve(badGateway(`response from the instance broke off: ${err.message}`)));
      });
      r.on('socket', (s: Socket) => ((s as Socket & { idle?: boolean }).idle = false));
      r.on('error', (err) => resolve(badGateway(`the instance did not answer: ${err.message}`)));
      r.end(req.body);
    });

  return {
    name,
    props,
    starts,
    instance: () => current,
    async dispatch(req) {
      if (inFlight >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      inFlight++;
      try {
        const inst = await ensure();
        // Give a thawed runtime its turn first: timers that expired while it was frozen run now.
        if (freeze && inst.thaw() && resumeDelayMs > 0) await new Promise((r) => setTimeout(r, resumeDelayMs));
        if (idleClosed > 0) {
          idleClosed--;
          return badGateway('the runtime closed a kept-alive connection while the instance was idle (its idle timeout is below what FC requires)');
        }
        return await send(inst.port, req);
      } finally {
        inFlight--;
        const next = waiting.shift();
        if (next) next();
        else if (freeze && inFlight === 0) current?.freeze();
      }
    },
    async recycle() {
      const starting = instance;
      instance = undefined;
      current = undefined;
      agent?.destroy();
      agent = undefined;
      await (await starting?.catch(() => undefined))?.stop();
    },
    async close() {
      await this.recycle();
    },
  };
}
