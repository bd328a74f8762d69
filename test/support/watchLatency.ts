/**
 * Poll a URL back to back while something else runs, to see how long the server takes to answer under
 * load (printed by tests, never asserted).
 *
 *   const stalls = watchLatency(`${url}/healthz`);
 *   … the slow work …
 *   const { count, maxMs } = await stalls.stop();
 */

/** Poll `url` back to back until stopped; report the slowest answer. */
export function watchLatency(url: string): { stop(): Promise<{ count: number; maxMs: number }> } {
  let running = true;
  let count = 0;
  let maxMs = 0;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await fetch(url).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
      maxMs = Math.max(maxMs, Math.round(performance.now() - t0));
      count++;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { count, maxMs };
    },
  };
}
