import { FINAL_STATES } from '../core/types.ts';
import type { DestinationEvent } from '../fc/parseDestinationEvent.ts';
import { parseBuildJob } from './parseBuildJob.ts';
import type { BuilderContext } from './runBuildJob.ts';

/**
 * FC gave up on a build job (its last retry failed, or it waited past the maximum event age) and
 * sent the onFailure destination event: mark the build failed, keeping the last attempt's error,
 * and notify. Idempotent: a build already final is left alone. Never asks FC to retry (a failing
 * destination handler would only produce another destination event).
 */
export async function failBuildFromDestination(event: DestinationEvent, ctx: BuilderContext): Promise<Record<string, unknown>> {
  const parsed = parseBuildJob(event.payload);
  if ('error' in parsed) {
    ctx.log(`destination event (${event.condition}) for a payload that is not a build job (${parsed.error}); ignored`);
    return { ignored: 'not a build job' };
  }
  const build = (await ctx.store.get(parsed.job.build.id)) ?? parsed.job.build;
  if (FINAL_STATES.has(build.state)) {
    ctx.log(`[${build.id}] destination event (${event.condition}) for a build already ${build.state}; ignored`);
    return { id: build.id, state: build.state, ignored: `already ${build.state}` };
  }
  const attempts = Math.max(event.invokeCount ?? 0, build.attempts);
  const gaveUp = `Function Compute gave up after ${attempts} attempt(s) (${event.condition}${event.functionError ? `: ${event.functionError}` : ''})`;
  build.error = build.error ? { phase: build.error.phase, message: `${build.error.message} — ${gaveUp}` } : { phase: 'queue', message: gaveUp };
  build.state = 'failed';
  build.finishedAt = new Date(ctx.now()).toISOString();
  await ctx.store.save(build);
  ctx.log(`[${build.id}] failed: ${build.error.message}`);
  await ctx.notify(build);
  return { id: build.id, state: build.state };
}
