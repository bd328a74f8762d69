import { createServer, type Server } from 'node:http';
import { toNodeListener } from '../local/toNodeListener.ts';

export interface ServedFunction {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Serve a web-standard handler over HTTP the way a Function Compute custom runtime must: an HTTP
 * server on the configured port (customRuntimeConfig.port in s.yaml) that FC forwards requests to.
 */
export async function serveFunction(
  handler: (request: Request) => Promise<Response>,
  { port, host = '0.0.0.0', log = console.error }: { port: number; host?: string; log?: (line: string) => void },
): Promise<ServedFunction> {
  const server = createServer(toNodeListener(handler, log));
  // FC keeps connections to the runtime open between invocations.
  server.keepAliveTimeout = 65_000;
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
