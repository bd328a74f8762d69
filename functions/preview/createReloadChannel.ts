/**
 * Live reload for the preview: a Server-Sent Events stream (`/_preview/events`) the pages listen to,
 * and the tiny script that listens (`/_preview/reload.js`, an external file so a `script-src 'self'`
 * Content-Security-Policy allows it). `reload()` tells every open page to load itself again.
 */

export const RELOAD_SCRIPT_PATH = '/_preview/reload.js';
export const EVENTS_PATH = '/_preview/events';

const SCRIPT = `// docs-sync preview: reload when the author's folder was rebuilt.
(() => {
  const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
  events.addEventListener('reload', () => location.reload());
})();
`;

export interface ReloadChannel {
  /** Answers the channel's two paths; undefined for any other. */
  handle(request: Request): Response | undefined;
  /** Tell every connected page to reload. */
  reload(): void;
  /** How many pages are listening. */
  readonly listeners: number;
  close(): void;
}

export function createReloadChannel({ keepAliveMs = 15_000 }: { keepAliveMs?: number } = {}): ReloadChannel {
  const clients = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const encoder = new TextEncoder();
  const send = (text: string): void => {
    for (const c of clients) {
      // A page that went away without the stream being cancelled stops reading: drop it.
      if ((c.desiredSize ?? 0) < -16) {
        clients.delete(c);
        continue;
      }
      try {
        c.enqueue(encoder.encode(text));
      } catch {
        clients.delete(c);
      }
    }
  };
  const ping = setInterval(() => send(': keep-alive\n\n'), keepAliveMs).unref();

  return {
    handle(request) {
      const { pathname } = new URL(request.url);
      if (pathname === RELOAD_SCRIPT_PATH) {
        return new Response(SCRIPT, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' } });
      }
      if (pathname !== EVENTS_PATH) return undefined;
      let self: ReadableStreamDefaultController<Uint8Array> | undefined;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          self = controller;
          clients.add(controller);
          controller.enqueue(encoder.encode('retry: 500\n\n'));
        },
        cancel() {
          if (self) clients.delete(self);
        },
      });
      request.signal.addEventListener('abort', () => self && clients.delete(self), { once: true });
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
    },
    reload: () => send('event: reload\ndata: {}\n\n'),
    get listeners() {
      return clients.size;
    },
    close() {
      clearInterval(ping);
      for (const c of clients) {
        try {
          c.close();
        } catch {
          // Already closed by the page.
        }
      }
      clients.clear();
    },
  };
}
