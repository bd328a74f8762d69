import { createServer, type Server } from 'node:http';
import { toNodeListener } from '../local/toNodeListener.ts';

export interface ServedFunction {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** FC's custom-runtime port variable and its default (customRuntimeConfig.port in s.yaml). */
export function listenPort(env: NodeJS.ProcessEnv): number {
  const raw = env.FC_CUSTOM_LISTEN_PORT?.trim() || '9000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`FC_CUSTOM_LISTEN_PORT "${raw}" is not a port number (Function Compute sets it; default 9000)`);
  return port;
}

/**
 * How long an idle kept-alive connection stays open, in ms: 0 (never closed) unless
 * KEEP_ALIVE_TIMEOUT_MS says otherwise. FC keeps its connections to an instance open and freezes the
 * instance between invocations; its custom-runtime requirements say to disable the idle timeout or
 * set it above 15 minutes, or requests on a connection the runtime closed meanwhile fail with 502.
 * The variable exists so a test can show that failure; leave it unset on FC.
 */
export function keepAliveTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.KEEP_ALIVE_TIMEOUT_MS?.trim();
  if (!raw) return 0;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0)
    throw new Error(`KEEP_ALIVE_TIMEOUT_MS "${raw}" must be a whole number of ms (0 or unset: never close idle connections, as FC requires)`);
  return ms;
}

/**
 * Serve a web-standard handler over HTTP the way a Function Compute custom runtime must: an HTTP
 * server on FC_CUSTOM_LISTEN_PORT that FC forwards requests to (HTTP trigger) or posts event
 * invocations to (POST /invoke), with no idle timeout on FC's kept-alive connections.
 */
export async function serveFunction(
  handler: (request: Request) => Promise<Response>,
  { port, host = '0.0.0.0', log = console.error, keepAliveMs = 0 }: { port: number; host?: string; log?: (line: string) => void; keepAliveMs?: number },
): Promise<ServedFunction> {
  const server = createServer(
    // Headers must arrive within a minute of a request starting; the body has no limit of its own
    // (the handlers cap sizes), and the response takes as long as the work does (the function's timeout).
    { headersTimeout: 60_000, requestTimeout: 0 },
    toNodeListener(handler, log),
  );
  server.keepAliveTimeout = keepAliveMs;
  server.timeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as { port: number };
  return {
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
