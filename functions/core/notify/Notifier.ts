import type { BuildReport } from '../types.ts';

/** Something that tells people a build finished. `send` throws (with a redacted, actionable message) on failure. */
export interface Notifier {
  name: string;
  send(report: BuildReport): Promise<void>;
}

/** What `notifyAll` returns for each notifier. */
export interface NotifyResult {
  name: string;
  ok: boolean;
  /** Redacted error message when `ok` is false. */
  error?: string;
}
