import type { EmitterWebhookEvent } from '@octokit/webhooks';
import type { DeliveryDecision } from '../queue/BuildQueue.ts';
import type { PushChanges, SourceConfig } from '../types.ts';
import { pushChanges, touchesDocs } from './pushChanges.ts';
import { isVersionRef } from '../versions/versionOrder.ts';

const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export type PushPayload = EmitterWebhookEvent<'push'>['payload'];

/** The parts of a push payload we rely on, checked; undefined when the payload is not a push. */
export interface PushFields {
  repo: string;
  ref: string;
  after: string;
  deleted: boolean;
  pusher: string;
  defaultBranch?: string;
  changes: PushChanges;
  /** The payload's `repository.private`: the status pages are protected by default for private repositories. */
  private?: boolean;
}

export function pushFields(payload: unknown): PushFields | undefined {
  const p = payload as Partial<PushPayload> | null;
  if (!p || typeof p !== 'object') return undefined;
  const repo = p.repository?.full_name;
  if (typeof repo !== 'string' || typeof p.ref !== 'string' || typeof p.after !== 'string') return undefined;
  // A commit id (SHA-1, or SHA-256 repositories): anything else would queue a build that cannot fetch.
  if (!COMMIT_SHA.test(p.after)) return undefined;
  const fields: PushFields = {
    repo,
    ref: p.ref,
    after: p.after,
    deleted: p.deleted === true,
    pusher: p.pusher?.name ?? p.sender?.login ?? 'unknown',
    changes: pushChanges(p),
  };
  const def = p.repository?.default_branch;
  if (typeof def === 'string') fields.defaultBranch = def;
  if (typeof p.repository?.private === 'boolean') fields.private = p.repository.private;
  return fields;
}

/**
 * Decide what a push means: build it when a source tracks this repository and branch, otherwise
 * skip it with a reason a human can act on.
 */
export function decidePush(fields: PushFields, delivery: string, sources: readonly SourceConfig[]): DeliveryDecision {
  const trigger = {
    kind: 'push' as const,
    repo: fields.repo,
    ref: fields.ref,
    sha: fields.after,
    pusher: fields.pusher,
    delivery,
    changes: fields.changes,
    ...(fields.private ? { private: true as const } : {}),
  };
  const forRepo = sources.filter((s) => s.repo && `${s.repo.owner}/${s.repo.name}`.toLowerCase() === fields.repo.toLowerCase());
  if (forRepo.length === 0) return { skip: `repository ${fields.repo} is not in the sources file`, trigger };
  // A branch or tag a source's `versions:` publish: created, moved or deleted, its version is built (or removed).
  const versions = forRepo.filter((s) => isVersionRef(s, fields.ref));
  if (versions.length) {
    const docsUntouched =
      !fields.deleted && fields.ref.startsWith('refs/heads/') && fields.changes.complete && !versions.some((s) => touchesDocs(fields.changes, s.paths));
    return docsUntouched ? { skip: `no file under the docs folders of ${fields.ref} changed`, trigger } : { trigger };
  }
  if (!fields.ref.startsWith('refs/heads/')) return { skip: `${fields.ref} is not a branch`, trigger };
  const branch = fields.ref.slice('refs/heads/'.length);
  const tracked = forRepo.filter((s) => (s.ref ?? fields.defaultBranch) === branch);
  if (tracked.length === 0) {
    const wanted = [...new Set(forRepo.map((s) => s.ref ?? fields.defaultBranch ?? '(default branch)'))].join(', ');
    return { skip: `branch ${branch} is not tracked for ${fields.repo} (tracked: ${wanted})`, trigger };
  }
  if (fields.deleted) return { skip: `branch ${branch} was deleted; the site keeps its last built copy`, trigger };
  if (fields.changes.complete && !tracked.some((s) => touchesDocs(fields.changes, s.paths))) {
    const touched = [...fields.changes.added, ...fields.changes.modified, ...fields.changes.removed];
    const shown = touched.slice(0, 5).join(', ') + (touched.length > 5 ? ` and ${touched.length - 5} more` : '');
    const folders = [...new Set(tracked.flatMap((s) => s.paths))].map((p) => (p === '.' ? '(repo root)' : `${p}/`)).join(', ');
    return { skip: `no file under the docs folders (${folders}) changed${shown ? `; touched: ${shown}` : ''}`, trigger };
  }
  return { trigger };
}
