/**
 * The site builder's child process (started by createSiteBuilder with `fork`). It builds the site for
 * each `{ type: 'build' }` message, one at a time, and keeps what an `astro build` loaded (the warm
 * site) for the builds after it. Astro's own output goes to stdout/stderr; results go back over IPC:
 *   { type: 'result', id, result }   the build succeeded
 *   { type: 'error', id, message }   it failed
 *   { type: 'restart', id }          it needs `astro build`, which this process already ran once
 * It exits when its parent goes away.
 */
import { join } from 'node:path';
import { NeedsFreshProcess, renderSite, type RenderSiteRequest, type WarmState } from './renderSite.ts';
import { withBuildLock } from './withBuildLock.ts';

export interface WorkerRequest {
  type: 'build';
  id: number;
  request: RenderSiteRequest;
}

const warm: WarmState = { astroRan: false };
let queue: Promise<void> = Promise.resolve();

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error && !err.message.includes(err.cause.message) ? ` (${err.cause.message})` : '';
  return `${err.message}${cause}`;
}

process.on('message', (message: WorkerRequest) => {
  if (message?.type !== 'build') return;
  queue = queue.then(async () => {
    try {
      const { request } = message;
      const result = await withBuildLock(
        join(request.cacheDir, 'builder'),
        () => renderSite(request, warm),
        (line) => console.log(line),
      );
      process.send?.({ type: 'result', id: message.id, result });
    } catch (err) {
      if (err instanceof NeedsFreshProcess) process.send?.({ type: 'restart', id: message.id });
      else {
        console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
        process.send?.({ type: 'error', id: message.id, message: describe(err) });
      }
    }
  });
});
process.on('disconnect', () => process.exit(0));
