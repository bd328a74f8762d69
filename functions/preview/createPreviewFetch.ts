/**
 * The preview's fetch step: never GitHub. Local folders (the author's, and local sources of the sources
 * file) are read from disk; GitHub sources come from the live site's last good snapshots in its
 * DATA_DIR, read only. A source with no snapshot is left out, saying why.
 */
import { fetchLocalSource } from '../core/fetch/fetchLocalSource.ts';
import type { FetchSourcesStep } from '../core/pipeline/fetchWithFallback.ts';
import { loadSnapshot } from '../core/pipeline/snapshots.ts';
import type { FetchedSource } from '../core/types.ts';

export function createPreviewFetch(liveDataDir: string | undefined): FetchSourcesStep {
  return async (sources) => {
    const fetched: FetchedSource[] = [];
    const failures: Array<{ source: string; error: string }> = [];
    for (const source of sources) {
      try {
        if (source.localPath) {
          fetched.push(await fetchLocalSource(source));
          continue;
        }
        const snap = liveDataDir ? await loadSnapshot(liveDataDir, source) : undefined;
        if (snap) fetched.push({ source, sha: snap.sha, ref: snap.ref, files: snap.files, ...(snap.skipped ? { skipped: snap.skipped } : {}) });
        else
          failures.push({
            source: source.id,
            error: `no snapshot of ${source.id} in ${liveDataDir ?? '(no DATA_DIR)'}: the live site has not built it with this sources entry yet`,
          });
      } catch (err) {
        failures.push({ source: source.id, error: (err as Error).message });
      }
    }
    return { fetched, failures };
  };
}
