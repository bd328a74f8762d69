/**
 * A versioned source (sources file `versions:`) as the pipeline sees it: one SourceConfig per published
 * version. The latest keeps the source's id and URLs; each old version is a source of its own, id
 * `<source>/<version segment>`, read at its branch or tag, so snapshots, the fetch cache, transforms
 * (links resolve within the version), diagnostics and sidebars work per version unchanged.
 */
import type { SourceConfig } from '../types.ts';
import { versionSegment } from './versionOrder.ts';
import type { VersionTable } from './versionStore.ts';

/** The configured sources with each versioned one followed by its old versions (newest first). */
export function expandVersions(sources: readonly SourceConfig[], table: VersionTable): SourceConfig[] {
  return sources.flatMap((source) => {
    if (!source.versions) return [source];
    const { versions: settings, ...base } = source;
    const latest: SourceConfig = { ...base, version: { base: source.id, name: settings.latest, latest: true } };
    // Two names with one URL segment (`V1`, `v1`): the first (newest) is published.
    const segments = new Set<string>();
    const refs = (table[source.id]?.refs ?? []).filter((r) => !segments.has(versionSegment(r.name)) && segments.add(versionSegment(r.name)));
    const old = refs.map(
      (ref): SourceConfig => ({
        ...base,
        id: `${source.id}/${versionSegment(ref.name)}`,
        ref: ref.name,
        version: { base: source.id, name: ref.name, latest: false, kind: ref.kind },
      }),
    );
    return [latest, ...old];
  });
}

/** A source id usable as a file or folder name (`fc/v1.2` → `fc@v1.2`; `@` is never in a configured id). */
export const fileSafeId = (id: string): string => id.replaceAll('/', '@');

/** The git ref a source's pushes arrive on, when it is an old version (`refs/tags/v1.2`, `refs/heads/release-1`). */
export const versionRef = (s: SourceConfig): string | undefined =>
  s.version?.kind ? `refs/${s.version.kind === 'tag' ? 'tags' : 'heads'}/${s.version.name}` : undefined;
