/**
 * At the start of a build: the sources as this build publishes them, each versioned source expanded
 * into its versions (expandVersions). A source's versions are listed from GitHub again (discoverVersions,
 * conditional: a 304 is free) only when they may have changed: never listed, `versions:` changed, a
 * manual rebuild or reconcile sweep covering it, or a push (or deletion) of a branch or tag its
 * patterns match. Otherwise, and when GitHub cannot be asked, the list kept in DATA_DIR is used.
 */
import type { ListRefs } from '../fetch/listMatchingRefs.ts';
import { mergeRequest } from '../queue/mergeRequest.ts';
import type { BuildRecord, SourceConfig } from '../types.ts';
import { discoverVersions, versionsKey } from './discoverVersions.ts';
import { expandVersions } from './expandVersions.ts';
import { isVersionRef } from './versionOrder.ts';
import { loadVersions, saveVersions } from './versionStore.ts';

const sameRepo = (s: SourceConfig, repo: string): boolean => !!s.repo && `${s.repo.owner}/${s.repo.name}`.toLowerCase() === repo.toLowerCase();

function mayHaveChanged(build: BuildRecord, s: SourceConfig): boolean {
  const request = build.request ?? mergeRequest(undefined, build.trigger);
  if (request.manual && (!request.manual.sources || request.manual.sources.includes(s.id))) return true;
  if (request.reconciled?.some((r) => r.id === s.id || r.id.startsWith(`${s.id}/`))) return true;
  return request.pushes.some((p) => sameRepo(s, p.repo) && isVersionRef(s, p.ref));
}

export async function resolveVersions(
  build: BuildRecord,
  sources: readonly SourceConfig[],
  deps: { dataDir: string; listRefs?: ListRefs; log: (line: string) => void },
): Promise<SourceConfig[]> {
  if (!sources.some((s) => s.versions)) return [...sources];
  const table = await loadVersions(deps.dataDir);
  let changed = false;
  for (const s of sources) {
    if (!s.versions || !deps.listRefs) continue;
    const stored = table[s.id];
    if (stored && stored.key === versionsKey(s) && !mayHaveChanged(build, s)) continue;
    try {
      const refs = await discoverVersions(s, deps.listRefs);
      const names = (list: Array<{ name: string; sha: string }> | undefined) => JSON.stringify(list?.map((r) => [r.name, r.sha]) ?? null);
      if (names(refs) !== names(stored?.refs)) deps.log(`versions of ${s.id}: ${refs.map((r) => r.name).join(', ') || '(none besides the latest)'}`);
      table[s.id] = { refs, checkedAt: new Date().toISOString(), key: versionsKey(s) };
      changed = true;
    } catch (err) {
      deps.log(`versions of ${s.id} could not be listed (${(err as Error).message}); keeping the last known list`);
    }
  }
  if (changed) await saveVersions(deps.dataDir, table);
  return expandVersions(sources, table);
}
