/**
 * Which branches and tags a versioned source publishes now: one `matching-refs` listing per kind (tags,
 * branches), filtered by the `versions:` patterns, the `newest` of each kind by version order; tags
 * first, then branches, each newest first.
 */
import type { ListRefs } from '../fetch/listMatchingRefs.ts';
import type { SourceConfig } from '../types.ts';
import { commonPrefix, compareVersions, matchesPattern } from './versionOrder.ts';
import type { VersionRef } from './versionStore.ts';

/** What a stored list was made for: a changed `versions:`, repo or branch lists again. */
export const versionsKey = (s: SourceConfig): string => JSON.stringify([s.repo, s.ref ?? null, s.versions]);

export async function discoverVersions(source: SourceConfig, listRefs: ListRefs): Promise<VersionRef[]> {
  const settings = source.versions;
  if (!settings || !source.repo) return [];
  const found = new Map<string, VersionRef>();
  const out: VersionRef[] = [];
  const kinds = [
    { kind: 'tag' as const, patterns: settings.tags, space: 'tags' },
    { kind: 'branch' as const, patterns: settings.branches, space: 'heads' },
  ];
  for (const { kind, patterns, space } of kinds) {
    if (patterns.length === 0) continue;
    const own: VersionRef[] = [];
    for (const { ref, sha } of await listRefs(source.repo, `${space}/${commonPrefix(patterns)}`)) {
      const name = ref.replace(/^refs\/(tags|heads)\//, '');
      // The tracked branch is the latest version already; a tag wins over a branch of the same name.
      if (!matchesPattern(name, patterns) || (kind === 'branch' && name === source.ref) || found.has(name)) continue;
      found.set(name, { name, kind, sha });
      own.push({ name, kind, sha });
    }
    out.push(...own.sort((a, b) => compareVersions(b.name, a.name)).slice(0, settings.newest));
  }
  return out;
}
