import { setTimeout as sleep } from 'node:timers/promises';
import { type CoalesceRules, coalesceGroup, foldRequests, replayStart } from '../core/queue/coalesce.ts';
import { type BuildRecord, FINAL_STATES } from '../core/types.ts';
import type { FileBuildStore } from '../fc/createFileBuildStore.ts';

export interface Claim {
  /** The build as it now stands: the carrier, or already final (carried by another, or done). */
  build: BuildRecord;
  final: boolean;
  /** Builds this one now carries, marked `superseded`. */
  superseded: BuildRecord[];
}

const oldestFirst = (a: BuildRecord, b: BuildRecord) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/**
 * Coalescing on Function Compute, with the build lease held: the build FC just delivered carries
 * every build waiting in the store, by the same rules as the local queue (coalesce.ts): it starts
 * once the newest push had its quiet period, at most maxWait after the first (it waits here until
 * then, looking again for newer pushes), their requests are merged, and the others end `superseded`
 * pointing at it. Their own jobs, when FC delivers them, find them final and end at once. The
 * carrier is saved before the others are marked, so a crash in between loses no push. A running
 * build is never touched: only `queued` ones are carried.
 */
export async function claimCarrier(job: BuildRecord, ctx: { store: FileBuildStore; rules: CoalesceRules; now: () => number }): Promise<Claim> {
  for (;;) {
    const build = (await ctx.store.get(job.id)) ?? job;
    if (FINAL_STATES.has(build.state)) return { build, final: true, superseded: [] };
    // Only builds of the same group (coalesceGroup: live builds, or one pull request's previews).
    const others = (await ctx.store.listQueued()).filter((b) => b.id !== build.id && coalesceGroup(b.trigger) === coalesceGroup(build.trigger));
    const all = [...others, build].sort(oldestFirst);
    const wait = replayStart(all, ctx.rules) - ctx.now();
    if (wait > 0) {
      await sleep(Math.max(10, Math.min(wait, ctx.rules.quietMs)));
      continue;
    }
    if (others.length === 0) return { build, final: false, superseded: [] };
    const fold = foldRequests(all, build.id);
    build.request = fold.request;
    build.queuedSince = fold.since;
    if (fold.carried) build.carried = fold.carried;
    await ctx.store.save(build);
    const at = new Date(ctx.now()).toISOString();
    for (const old of others) {
      old.state = 'superseded';
      old.finishedAt = at;
      old.supersededBy = build.id;
      delete old.carried;
      delete old.request;
      await ctx.store.save(old);
    }
    return { build, final: false, superseded: others };
  }
}
