/**
 * The preview's fetch step: never GitHub. Local folders (the author's, and local sources of the sources
 * file) are read from disk; GitHub sources come from the live site's last good snapshots in its
 * DATA_DIR, read only, or from a deployed site's published pages (`--site`, readSiteSnapshots.ts).
 * A source with neither is left out, saying why.
 */
import { fetchLocalSource } from '../core/fetch/fetchLocalSource.ts';
import type { FetchSourcesStep } from '../core/pipeline/fetchWithFallback.ts';
import { loadSnapshot } from '../core/pipeline/snapshots.ts';
import type { FetchedSource } from '../core/types.ts';

export function createPreviewFetch(liveDataDir: string | undefined, site?: { url: string; fetched: ReadonlyMap<string, FetchedSource> }): FetchSourcesStep {
  return async (sources) => {
    const fetched: FetchedSource[] = [];
    const failures: Array<{ source: string; error: string }> = [];
    for (const source of sources) {
      try {
        if (source.localPath) {
          fetched.push(await fetchLocalSource(source));
          continue;
        }
        const standIn = site?.fetched.get(source.id);
        if (standIn) {
          fetched.push({ ...standIn, source });
          continue;
        }
        const snap = liveDataDir ? await loadSnapshot(liveDataDir, source) : undefined;
        if (snap) fetched.push({ source, sha: snap.sha, ref: snap.ref, files: snap.files, ...(snap.skipped ? { skipped: snap.skipped } : {}) });
        else
          failures.push({
            source: source.id,
            error: site
              ? `${source.id} has no pages on ${site.url}`
              : `no snapshot of ${source.id} in ${liveDataDir ?? '(no DATA_DIR)'}: the live site has not built it with this sources entry yet`,
          });
      } catch (err) {
        failures.push({ source: source.id, error: (err as Error).message });
      }
    }
    return { fetched, failures };
  };
}
