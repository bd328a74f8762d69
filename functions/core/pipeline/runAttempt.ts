import type { BuildRecord } from '../types.ts';
import { PhaseError } from './runBuild.ts';

/**
 * One attempt of a build, bounded by a timeout (the attempt's signal is aborted when it expires).
 * On success the record is final — `succeeded`, or `degraded` when a source was served from its
 * last good copy or left out; on failure `build.error` names the phase. The caller persists it and
 * decides about retries (the local queue, or Function Compute's async retries).
 */
export async function runAttempt(
  build: BuildRecord,
  run: (build: BuildRecord, signal: AbortSignal) => Promise<BuildRecord>,
  /** `redact`: applied to the failure's message before it is recorded (secrets never reach the build record). */
  options: { timeoutMs: number; now: () => number; timeoutHint?: string; redact?: (text: string) => string },
): Promise<{ ok: boolean; build: BuildRecord }> {
  const controller = new AbortController();
  const limit = options.timeoutMs >= 1000 ? `${Math.round(options.timeoutMs / 1000)} s` : `${options.timeoutMs} ms`;
  const timer = setTimeout(
    () => controller.abort(new Error(`attempt timed out after ${limit}${options.timeoutHint ? ` (${options.timeoutHint})` : ''}`)),
    options.timeoutMs,
  );
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true }),
  );
  aborted.catch(() => {});
  try {
    const done = await Promise.race([run(build, controller.signal), aborted]);
    done.state = done.sources.some((s) => s.state !== 'built') ? 'degraded' : 'succeeded';
    delete done.error;
    done.finishedAt = new Date(options.now()).toISOString();
    return { ok: true, build: done };
  } catch (err) {
    const phase = err instanceof PhaseError ? err.phase : 'build';
    const message = (err as Error).message ?? String(err);
    build.error = { phase, message: options.redact ? options.redact(message) : message };
    return { ok: false, build };
  } finally {
    clearTimeout(timer);
  }
}
