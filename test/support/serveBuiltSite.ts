/**
 * A built site (an `astro build` output folder) served by serveStatic on 127.0.0.1 (port 0), for
 * Chromium tests: its base URL and how to stop it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveStatic } from '../../functions/core/http/serveStatic.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';

export interface BuiltSiteServer {
  base: string;
  close(): Promise<void>;
}

export async function serveBuiltSite(out: string): Promise<BuiltSiteServer> {
  const server = createServer(toNodeListener((request) => serveStatic(request, out)));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
