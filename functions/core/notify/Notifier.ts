import type { BuildReport } from '../types.ts';
import type { ReportSummary } from './summarizeReport.ts';

/** A build report plus the links only notifications need (see `reportFor`). */
export interface NotifyReport extends BuildReport {
  /** Web page of each GitHub source's repository by source id (`https://github.com/o/r`), for compare links. */
  repoUrls?: Record<string, string>;
  /** Signed link that asks for a rebuild of this build's sources; absent without REBUILD_TOKEN. */
  rebuildUrl?: string;
  /** Things the operator must fix that are not about this build's content (e.g. unprotected status pages). */
  warnings?: string[];
  /**
   * Set when the report goes to one source's owners rather than the site's operators: the report is
   * about `source` only, and DingTalk @-mentions `atMobiles`.
   */
  audience?: { source: string; atMobiles: string[] };
  /** A message that is not a build's outcome (e.g. a source lagging its branch): rendered instead of the build's summary. */
  notice?: ReportSummary;
}

/** Something that tells people a build finished. `send` throws (with a redacted, actionable message) on failure. */
export interface Notifier {
  name: string;
  send(report: NotifyReport): Promise<void>;
}

/** What `notifyAll` returns for each notifier. */
export interface NotifyResult {
  name: string;
  ok: boolean;
  /** Redacted error message when `ok` is false. */
  error?: string;
}
