import type { PushChanges } from '../types.ts';

const ZERO_SHA = /^0{40}$/;
/** GitHub lists at most 2,048 commits in a push delivery. */
const MAX_LISTED_COMMITS = 2048;
/** GitHub caps each commit's added/removed/modified lists (documented: 3,000 to 5,000 paths). */
const MAX_LISTED_PATHS = 3000;
/** Keep the job description small (FC async payloads are limited to 128 KB): past this, say "incomplete". */
const MAX_KEPT_PATHS = 1000;

interface PayloadCommit {
  id?: unknown;
  timestamp?: unknown;
  author?: { username?: unknown; name?: unknown } | null;
  added?: unknown;
  removed?: unknown;
  modified?: unknown;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * What a push changed, from its payload. Net effect per path across the pushed commits, in order:
 * a file added then removed disappears, one removed then added again counts as modified.
 * `complete: false` when the lists cannot be trusted; the fetch step then asks GitHub.
 */
export function pushChanges(payload: { before?: unknown; after?: unknown; forced?: unknown; commits?: unknown }): PushChanges {
  const commits = (Array.isArray(payload.commits) ? payload.commits : []) as PayloadCommit[];
  const state = new Map<string, 'added' | 'modified' | 'removed'>();
  const existedBefore = new Map<string, boolean>();
  let complete = !ZERO_SHA.test(String(payload.before)) && payload.forced !== true && commits.length < MAX_LISTED_COMMITS;
  const kept: NonNullable<PushChanges['commits']> = [];
  for (const c of commits) {
    const added = strings(c.added);
    const removed = strings(c.removed);
    const modified = strings(c.modified);
    if (added.length >= MAX_LISTED_PATHS || removed.length >= MAX_LISTED_PATHS || modified.length >= MAX_LISTED_PATHS) complete = false;
    for (const p of added) {
      if (!existedBefore.has(p)) existedBefore.set(p, false);
      state.set(p, existedBefore.get(p) ? 'modified' : 'added');
    }
    for (const p of modified) {
      if (!existedBefore.has(p)) existedBefore.set(p, true);
      state.set(p, existedBefore.get(p) ? 'modified' : 'added');
    }
    for (const p of removed) {
      if (!existedBefore.has(p)) existedBefore.set(p, true);
      if (existedBefore.get(p)) state.set(p, 'removed');
      else state.delete(p);
    }
    const author = typeof c.author?.username === 'string' ? c.author.username : typeof c.author?.name === 'string' ? c.author.name : undefined;
    if (typeof c.id === 'string' && typeof c.timestamp === 'string') {
      kept.push({ id: c.id, timestamp: c.timestamp, ...(author ? { author } : {}), paths: [...added, ...modified] });
    }
  }
  const pick = (kind: 'added' | 'modified' | 'removed') =>
    [...state]
      .filter(([, k]) => k === kind)
      .map(([p]) => p)
      .sort();
  const changes: PushChanges = {
    before: String(payload.before ?? ''),
    after: String(payload.after ?? ''),
    added: pick('added'),
    modified: pick('modified'),
    removed: pick('removed'),
    complete,
    forced: payload.forced === true,
  };
  if (state.size > MAX_KEPT_PATHS) {
    changes.added = [];
    changes.modified = [];
    changes.removed = [];
    changes.complete = false;
  } else if (kept.length) {
    changes.commits = kept.slice(-100).map((c) => ({ ...c, paths: c.paths.filter((p) => state.has(p)) }));
  }
  return changes;
}

/** Merge the changes of two consecutive pushes to one repository (older first). */
export function mergeChanges(older: PushChanges, newer: PushChanges): PushChanges {
  const chained = older.after === newer.before;
  const merged = pushChanges({
    before: older.before,
    after: newer.after,
    forced: older.forced || newer.forced,
    commits: [
      { added: older.added, modified: older.modified, removed: older.removed },
      { added: newer.added, modified: newer.modified, removed: newer.removed },
    ],
  });
  merged.complete = older.complete && newer.complete && chained && merged.complete;
  const commits = [...(older.commits ?? []), ...(newer.commits ?? [])];
  if (commits.length && merged.complete) merged.commits = commits.slice(-100);
  else delete merged.commits;
  return merged;
}

/** Whether a push touched any file under one of `paths` (`.` = everything). */
export function touchesDocs(changes: PushChanges, paths: readonly string[]): boolean {
  const all = [...changes.added, ...changes.modified, ...changes.removed];
  return all.some((file) => paths.some((p) => p === '.' || file === p || file.startsWith(`${p.replace(/\/+$/, '')}/`)));
}
