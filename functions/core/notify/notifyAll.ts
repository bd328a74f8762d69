import type { Notifier, NotifyReport, NotifyResult } from './Notifier.ts';
import { redact } from './redact.ts';

export interface NotifyAllOptions {
  /** Secret values to strip from every error (see `secretsOf`). */
  secrets: ReadonlyArray<string | undefined>;
  /** Receives one redacted line per failed notifier. */
  log?: (line: string) => void;
}

/**
 * Send `report` through every notifier at once. Never throws: each outcome is returned (errors
 * redacted), so one broken channel never hides another or the build's own result.
 */
export async function notifyAll(
  notifiers: readonly Notifier[],
  report: NotifyReport,
  { secrets, log = (line) => console.error(line) }: NotifyAllOptions,
): Promise<NotifyResult[]> {
  const settled = await Promise.allSettled(notifiers.map(async (n) => n.send(report)));
  return settled.map((s, i) => {
    const name = notifiers[i]?.name ?? `notifier ${i + 1}`;
    if (s.status === 'fulfilled') return { name, ok: true };
    const reason: unknown = s.reason;
    const error = redact(reason instanceof Error ? reason.message : String(reason), secrets);
    try {
      log(`Notification via ${name} failed for build ${report.build.id}: ${error}`);
    } catch {
      // A broken logger must not break notification either.
    }
    return { name, ok: false, error };
  });
}
