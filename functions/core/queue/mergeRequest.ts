import type { BuildRequest, ReconciledSource, Trigger } from '../types.ts';
import { mergeChanges } from '../webhook/pushChanges.ts';

/**
 * Add a trigger to a build request (`undefined` = empty). Pushes to the same repository and branch
 * merge their change lists (older first); a push without usable lists makes the merged lists unusable
 * too. Manual rebuilds merge into one: `full` if any was, all sources if any named none.
 */
export function mergeRequest(request: BuildRequest | undefined, trigger: Trigger): BuildRequest {
  const out: BuildRequest = request
    ? {
        pushes: [...request.pushes],
        ...(request.manual ? { manual: { ...request.manual } } : {}),
        ...(request.reconciled ? { reconciled: [...request.reconciled] } : {}),
      }
    : { pushes: [] };
  if (trigger.kind === 'reconcile') {
    out.reconciled = mergeReconciled(out.reconciled ?? [], trigger.sources);
    return out;
  }
  // A preview is never part of a live build's request (its builds are queued apart).
  if (trigger.kind === 'preview') return out;
  if (trigger.kind === 'manual') {
    const m = out.manual;
    const who = trigger.requestedBy ?? 'someone';
    if (!m) {
      out.manual = { full: trigger.full, requestedBy: [who], ...(trigger.sources?.length ? { sources: [...trigger.sources] } : {}) };
    } else {
      m.full ||= trigger.full;
      m.requestedBy = [...new Set([...m.requestedBy, who])];
      if (!trigger.sources?.length || !m.sources) delete m.sources;
      else m.sources = [...new Set([...m.sources, ...trigger.sources])];
    }
    return out;
  }
  const at = out.pushes.findIndex((p) => p.repo.toLowerCase() === trigger.repo.toLowerCase() && p.ref === trigger.ref);
  if (at < 0) {
    out.pushes.push({
      repo: trigger.repo,
      ref: trigger.ref,
      sha: trigger.sha,
      pushers: [trigger.pusher],
      deliveries: 1,
      ...(trigger.changes ? { changes: trigger.changes } : {}),
    });
    return out;
  }
  const old = out.pushes[at]!;
  const merged: BuildRequest['pushes'][number] = {
    repo: old.repo,
    ref: old.ref,
    sha: trigger.sha,
    pushers: [...new Set([...old.pushers, trigger.pusher])],
    deliveries: old.deliveries + 1,
  };
  if (old.changes && trigger.changes) merged.changes = mergeChanges(old.changes, trigger.changes);
  out.pushes[at] = merged;
  return out;
}

/** Combine two requests (older first): what both ask for, as one. */
export function combineRequests(older: BuildRequest, newer: BuildRequest): BuildRequest {
  let out: BuildRequest = { pushes: [...older.pushes], ...(older.manual ? { manual: { ...older.manual } } : {}) };
  const reconciled = mergeReconciled(older.reconciled ?? [], newer.reconciled ?? []);
  if (reconciled.length) out.reconciled = reconciled;
  for (const push of newer.pushes) {
    const at = out.pushes.findIndex((p) => p.repo.toLowerCase() === push.repo.toLowerCase() && p.ref === push.ref);
    if (at < 0) {
      out.pushes.push(push);
      continue;
    }
    const old = out.pushes[at]!;
    const merged: BuildRequest['pushes'][number] = {
      repo: old.repo,
      ref: old.ref,
      sha: push.sha,
      pushers: [...new Set([...old.pushers, ...push.pushers])],
      deliveries: old.deliveries + push.deliveries,
    };
    if (old.changes && push.changes) merged.changes = mergeChanges(old.changes, push.changes);
    out.pushes[at] = merged;
  }
  if (newer.manual) {
    const m = newer.manual;
    for (const who of m.requestedBy) out = mergeRequest(out, { kind: 'manual', full: m.full, requestedBy: who, ...(m.sources ? { sources: m.sources } : {}) });
  }
  return out;
}

/** Sources caught up by reconcile, per source: the first sweep's `from`, the last one's `to`, the commits of both. */
function mergeReconciled(older: ReconciledSource[], newer: ReconciledSource[]): ReconciledSource[] {
  const out = [...older];
  for (const r of newer) {
    const at = out.findIndex((o) => o.id === r.id);
    if (at < 0) {
      out.push(r);
      continue;
    }
    const o = out[at]!;
    const commits = o.commits && r.commits ? [...o.commits, ...r.commits.filter((c) => !o.commits!.some((x) => x.sha === c.sha))].slice(-250) : undefined;
    const total = o.totalCommits !== undefined && r.totalCommits !== undefined ? o.totalCommits + r.totalCommits : undefined;
    out[at] = { ...r, from: o.from, ...(commits ? { commits } : {}), ...(total !== undefined ? { totalCommits: total } : {}) };
    if (!commits) delete out[at]!.commits;
    if (total === undefined) delete out[at]!.totalCommits;
  }
  return out;
}
