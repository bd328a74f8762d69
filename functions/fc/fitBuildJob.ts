import type { BuildRecord, PushChanges } from '../core/types.ts';
import type { BuildJob } from './createFcDeliveryQueue.ts';

/**
 * What a job may weigh. FC limits an async payload to 128 KB, and the onFailure destination event
 * carries the job again as a JSON string (quotes escaped) next to FC's own fields and the builder's
 * answer. The budget counts the job in that escaped form, so the payload (smaller) and the event
 * (the budget plus ~2 KB of fields and an answer cut to 2 KB; as base64, 4/3 of the payload) both
 * stay well under 128 KB.
 */
export const JOB_BUDGET_BYTES = 64 * 1024;
/** Commits kept when the newest ones are all that fit. */
const KEPT_COMMITS = 10;

/** The job's size as the budget counts it: as a JSON string inside another JSON document. */
export const jobBytes = (job: BuildJob): number => Buffer.byteLength(JSON.stringify(JSON.stringify(job)));

/**
 * What is dropped when a job is over budget, in this order, until it fits (each step says what it
 * costs the build):
 *  1. each commit's list of paths — "last updated" of those files then comes from GitHub's history;
 *  2. commits older than the newest KEPT_COMMITS — likewise for the files only they touched;
 *  3. the remaining commits;
 *  4. the change lists (added/modified/removed): `complete: false`, so the builder asks GitHub's
 *     compare API what changed from the commit it has (the tree when GitHub cannot compare).
 */
const STEPS: Array<{ dropped: string; apply: (c: PushChanges) => void }> = [
  { dropped: 'per-commit file lists', apply: (c) => c.commits?.forEach((commit) => (commit.paths = [])) },
  { dropped: `commits older than the newest ${KEPT_COMMITS}`, apply: (c) => c.commits && (c.commits = c.commits.slice(-KEPT_COMMITS)) },
  { dropped: 'commits', apply: (c) => delete c.commits },
  {
    dropped: 'change lists',
    apply: (c) => {
      c.added = [];
      c.modified = [];
      c.removed = [];
      c.complete = false;
    },
  },
];

/** The job for `build`, cut to the budget; `incomplete` says what was dropped. Throws when even that is too big. */
export function fitBuildJob(build: BuildRecord, budget = JOB_BUDGET_BYTES): BuildJob {
  const job: BuildJob = { build: structuredClone(build) };
  const bytes = jobBytes(job);
  if (bytes <= budget) return job;
  const dropped: string[] = [];
  const changes = job.build.trigger.kind === 'push' ? job.build.trigger.changes : undefined;
  for (const step of changes ? STEPS : []) {
    step.apply(changes!);
    dropped.push(step.dropped);
    job.incomplete = { dropped, bytes };
    if (jobBytes(job) <= budget) return job;
  }
  throw new Error(
    `build ${build.id}: the job is ${jobBytes(job)} bytes even without ${dropped.join(', ') || 'anything optional'}; the budget is ${budget} bytes`,
  );
}
