import type { BuildRequest, Trigger } from '../types.ts';
import { mergeChanges } from '../webhook/pushChanges.ts';

/**
 * Add a trigger to a build request (`undefined` = empty). Pushes to the same repository and branch
 * merge their change lists (older first); a push without usable lists makes the merged lists unusable
 * too. Manual rebuilds merge into one: `full` if any was, all sources if any named none.
 */
export function mergeRequest(request: BuildRequest | undefined, trigger: Trigger): BuildRequest {
  const out: BuildRequest = request ? { pushes: [...request.pushes], ...(request.manual ? { manual: { ...request.manual } } : {}) } : { pushes: [] };
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
    out.pushes.push({ repo: trigger.repo, ref: trigger.ref, sha: trigger.sha, pushers: [trigger.pusher], deliveries: 1, ...(trigger.changes ? { changes: trigger.changes } : {}) });
    return out;
  }
  const old = out.pushes[at]!;
  const merged: BuildRequest['pushes'][number] = { repo: old.repo, ref: old.ref, sha: trigger.sha, pushers: [...new Set([...old.pushers, trigger.pusher])], deliveries: old.deliveries + 1 };
  if (old.changes && trigger.changes) merged.changes = mergeChanges(old.changes, trigger.changes);
  out.pushes[at] = merged;
  return out;
}
