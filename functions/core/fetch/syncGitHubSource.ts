import type { FetchedSource, PushChanges, SourceConfig } from '../types.ts';
import { coldSync } from './fetchGitHubSource.ts';
import { knownState } from './knownState.ts';
import type { LastCommit } from './lastCommits.ts';
import { compareSync, pushSync } from './pushSync.ts';
import type { Known, SourceSync, SyncEnv } from './syncTypes.ts';
import { toSync } from './syncTypes.ts';
import { treeSync } from './treeSync.ts';

export interface SyncRequest {
  /** The last good snapshot of this source (ignored when it was fetched for another repo/ref/paths). */
  previous?: FetchedSource;
  /** What the pushes since then changed, from the webhook payloads. */
  changes?: PushChanges;
  /** Ignore every cache and snapshot: download everything afresh. */
  full?: boolean;
}

const short = (sha: string): string => sha.slice(0, 7);

/** Why a push's lists cannot be applied as they are, or undefined when they can. */
function unusable(changes: PushChanges, known: Known): string | undefined {
  if (changes.forced) return 'forced push';
  if (!changes.complete) return 'the push lists are incomplete';
  if (changes.before !== known.sha) return `the push starts at ${short(changes.before)}, we have ${short(known.sha)}`;
  return undefined;
}

/**
 * Bring one GitHub source up to date as cheaply as GitHub allows, most frugal first:
 *  1. nothing known → one tarball (coldSync);
 *  2. the push ends where we are → nothing to do;
 *  3. complete push lists starting where we are → the changed files only (contents API);
 *  4. otherwise a conditional lookup of the branch head (304 = unchanged, not charged), then
 *  5. the compare API from our commit to the head → unknown contents only, or when GitHub cannot
 *     compare them (history rewritten, 300+ files) 6. the tree listing → unknown contents only.
 * Then each file's last commit: from the push's commits, else kept from the known state when the
 * content did not change, else listed in `needHistory` for one bulk GraphQL query (fetchSources).
 */
export async function syncGitHubSource(source: SourceConfig, env: SyncEnv, request: SyncRequest = {}): Promise<SourceSync> {
  const known = request.full ? undefined : await knownState(source, env, request.previous);
  const changes = request.full ? undefined : request.changes;
  const sync = known ? await update(source, env, known, changes) : await coldSync(source, env);
  assignLastCommits(sync, known, changes);
  return sync;
}

async function update(source: SourceConfig, env: SyncEnv, known: Known, changes: PushChanges | undefined): Promise<SourceSync> {
  const reuse = (sha: string): SourceSync => toSync(source, { sha, ref: known.ref }, known.files, known.skipped, 'unchanged');
  if (changes?.after === known.sha) return reuse(known.sha);
  let note = changes ? unusable(changes, known) : undefined;
  if (changes && !note) {
    const pushed = await pushSync(source, env, known, changes);
    if (pushed) return pushed;
    note = 'the push lists do not match GitHub or are long';
  }
  // Where the branch is now (not where a push said: an old push handled late must not take the site
  // back). Free when it has not moved since what we know.
  const looked = await env.reader.resolveCommit(source.ref ?? known.ref, known.sha).catch((err: unknown) => {
    // The default branch we knew is gone (renamed?): start afresh from the repository's default branch.
    if (!source.ref && [404, 422].includes((err as { status?: number }).status ?? 0)) return undefined;
    throw err;
  });
  if (!looked) return { ...(await coldSync(source, env)), note: `branch ${known.ref} is gone` };
  if (!looked.changed) return reuse(known.sha);
  const head = looked.sha;
  const compared = await compareSync(source, env, known, head);
  if (compared) return note ? { ...compared, note } : compared;
  const byBlob = new Map([...known.files.values()].map((f) => [f.blob, f.content]));
  const listed = await treeSync(source, env, { sha: head, ref: known.ref }, { byBlob }, 'tree');
  return {
    ...listed,
    note: note ? `${note}; GitHub cannot compare ${short(known.sha)}...${short(head)}` : `GitHub cannot compare ${short(known.sha)}...${short(head)}`,
  };
}

/** The newest commit the push lists for each path (payloads list commits oldest first). */
function pushedCommits(changes: PushChanges): Map<string, LastCommit> {
  const out = new Map<string, LastCommit & { at: number }>();
  for (const c of changes.commits ?? []) {
    const at = Date.parse(c.timestamp);
    for (const path of c.paths) {
      const seen = out.get(path);
      if (seen && seen.at > at) continue;
      out.set(path, { sha: c.id, date: c.timestamp, ...(c.author ? { author: c.author } : {}), at });
    }
  }
  return new Map([...out].map(([path, { at: _at, ...commit }]) => [path, commit]));
}

/**
 * Last commits: the push's own (newest), else the known one when the content did not change — not
 * after a rewritten history (tree mode: the known commit may be gone) — else ask GitHub.
 * Known limit: a file changed and changed back between two fetches keeps its older date unless
 * the push lists say otherwise.
 */
function assignLastCommits(sync: SourceSync, known: Known | undefined, changes: PushChanges | undefined): void {
  const pushed = changes?.complete && !changes.forced && changes.after === sync.result.sha ? pushedCommits(changes) : new Map<string, LastCommit>();
  const trustKnown = sync.mode !== 'tree';
  for (const f of sync.result.files) {
    const fromPush = pushed.get(f.path);
    const before = trustKnown ? known?.files.get(f.path) : undefined;
    const kept = before && before.blob === sync.blobs.get(f.path) ? before.lastCommit : undefined;
    const commit = fromPush ?? kept;
    if (commit) f.lastCommit = commit;
    else {
      delete f.lastCommit;
      sync.needHistory.push(f.path);
    }
  }
}
