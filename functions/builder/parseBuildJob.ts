import { z } from 'zod';
import type { BuildJob } from '../fc/createFcDeliveryQueue.ts';

const trigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('push'), repo: z.string().min(1), ref: z.string().min(1), sha: z.string(), pusher: z.string(), delivery: z.string() }),
  z.object({ kind: z.literal('manual'), full: z.boolean(), sources: z.array(z.string()).optional(), requestedBy: z.string().optional() }),
]);

const job = z.object({
  build: z.looseObject({
    // The id names the release folder: nothing but letters, digits and "-".
    id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
    state: z.string(),
    trigger,
    createdAt: z.string(),
    attempts: z.number().int().min(0),
    phases: z.record(z.string(), z.number()).optional(),
    sources: z.array(z.unknown()).optional(),
  }),
  incomplete: z.object({ dropped: z.array(z.string()), bytes: z.number() }).optional(),
});

/** A BuildJob from an invocation payload, or the reason it is not one. */
export function parseBuildJob(payload: unknown): { job: BuildJob } | { error: string } {
  const parsed = job.safeParse(payload);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ') };
  const { build, incomplete } = structuredClone(payload as BuildJob);
  build.phases ??= {};
  build.sources ??= [];
  return { job: incomplete ? { build, incomplete: parsed.data.incomplete! } : { build } };
}
