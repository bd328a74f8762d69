/**
 * The reconcile sweep's part for versioned sources (sources file `versions:`): list each one's matching
 * tags and branches again, conditionally (the listing's ETag is kept in `DATA_DIR/versions-etags.json`,
 * so an unchanged listing answers 304, which GitHub does not charge), and name every version added,
 * moved or removed since the list the site was built with, as reconciled sources: the build they
 * trigger lists the versions again (resolveVersions) and fetches only the versions that changed.
 */
import type { Octokit } from '@octokit/rest';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestMeter, Validator } from '../fetch/gitHubCall.ts';
import { listMatchingRefs } from '../fetch/listMatchingRefs.ts';
import type { ReconciledSource, SourceConfig } from '../types.ts';
import { discoverVersions, versionsKey } from './discoverVersions.ts';
import { versionSegment } from './versionOrder.ts';
import { loadVersions, type VersionRef } from './versionStore.ts';

const ZERO = '0'.repeat(40);

/** Validators of the sweep's listings, kept between sweeps (a cache: losing it costs one counted request). */
async function validatorFile(dataDir: string) {
  const file = join(dataDir, 'versions-etags.json');
  const stored = await readFile(file, 'utf8')
    .then((t) => JSON.parse(t) as Record<string, Validator>)
    .catch(() => ({}) as Record<string, Validator>);
  return {
    get: (k: string): Validator | undefined => stored[k],
    set: (k: string, v: Validator): void => void (stored[k] = v),
    save: async (): Promise<void> => {
      await writeFile(`${file}.tmp`, JSON.stringify(stored));
      await rename(`${file}.tmp`, file);
    },
  };
}

/** What changed between the list the site has and the list GitHub has now. */
function changes(source: SourceConfig, before: readonly VersionRef[], now: readonly VersionRef[]): ReconciledSource[] {
  const repo = `${source.repo!.owner}/${source.repo!.name}`;
  const entry = (ref: VersionRef, from: string, to: string): ReconciledSource => ({
    id: `${source.id}/${versionSegment(ref.name)}`,
    repo,
    ref: ref.name,
    from,
    to,
  });
  const old = new Map(before.map((r) => [r.name, r]));
  const out = now.flatMap((r) => (old.get(r.name)?.sha === r.sha ? [] : [entry(r, old.get(r.name)?.sha ?? ZERO, r.sha)]));
  for (const r of before) if (!now.some((n) => n.name === r.name)) out.push(entry(r, r.sha, ZERO));
  return out;
}

/** Versions added, moved or removed on GitHub since the last build listed them (none before a first listing). */
export async function sweepVersions(
  sources: readonly SourceConfig[],
  deps: { octokit: Octokit; dataDir: string; meter: RequestMeter; log: (line: string) => void },
): Promise<ReconciledSource[]> {
  const versioned = sources.filter((s) => s.versions && s.repo);
  if (versioned.length === 0) return [];
  const table = await loadVersions(deps.dataDir);
  const validators = await validatorFile(deps.dataDir);
  const listRefs = listMatchingRefs(deps.octokit, validators, deps.meter);
  const out: ReconciledSource[] = [];
  for (const source of versioned) {
    const stored = table[source.id];
    // Never listed, or listed for another setting: the next build lists them anyway.
    if (!stored || stored.key !== versionsKey(source)) continue;
    try {
      out.push(...changes(source, stored.refs, await discoverVersions(source, listRefs)));
    } catch (err) {
      deps.log(`Reconcile: could not list the versions of ${source.id}: ${(err as Error).message}`);
    }
  }
  await validators.save().catch((err: unknown) => deps.log(`Reconcile: could not keep the versions' ETags: ${(err as Error).message}`));
  return out;
}
