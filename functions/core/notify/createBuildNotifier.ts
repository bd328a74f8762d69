import type { Config } from '../config/loadConfig.ts';
import type { BuildRecord, BuildState, SourceConfig } from '../types.ts';
import { createNotifiers } from './createNotifiers.ts';
import type { Notifier, NotifyResult } from './Notifier.ts';
import { notifyAll } from './notifyAll.ts';
import { reportFor } from './reportFor.ts';
import type { ReportSummary } from './summarizeReport.ts';

export interface BuildNotifierOptions {
  config: Config;
  sources: readonly SourceConfig[];
  /** Secret values to strip from every error (see `secretsOf`). */
  secrets: ReadonlyArray<string | undefined>;
  /** Receives one line per channel and build; should already redact. */
  log: (line: string) => void;
  /** Default: the channels `config` asks for (createNotifiers). */
  notifiers?: readonly Notifier[];
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

export interface BuildNotifier {
  /** Whether NOTIFY_ON asks for builds ending in `state`. */
  wants(state: BuildState): boolean;
  /** Report a build in its final state when NOTIFY_ON lists the state ([] otherwise). Never throws. */
  notify(build: BuildRecord): Promise<NotifyResult[]>;
  /** Same, without waiting: for request paths that must answer at once (errors are logged). */
  notifyLater(build: BuildRecord): void;
  /** Send a notice that is not a build's outcome (freshness) through every channel, whatever NOTIFY_ON says. Never throws. */
  notice?(summary: ReportSummary): Promise<NotifyResult[]>;
  /** Resolves when every notification started so far has finished (tests, shutdown). */
  settled(): Promise<void>;
}

/**
 * The one place that decides whether and how a final build is reported: NOTIFY_ON, the report's
 * links (build page, compare views, signed rebuild link), every channel at once, one log line each.
 * Create one per process so DingTalk's rate limit is shared by every path that notifies.
 */
export function createBuildNotifier(options: BuildNotifierOptions): BuildNotifier {
  const { config, sources, secrets, log } = options;
  const notifiers = options.notifiers ?? createNotifiers(config, options.fetch ? { fetch: options.fetch } : {});
  const wanted = new Set<BuildState>(config.notifyOn);
  const pending = new Set<Promise<unknown>>();
  const ctx = { publicUrl: config.publicUrl, githubApiUrl: config.githubApiUrl, sources, ...(config.rebuildToken ? { rebuildToken: config.rebuildToken } : {}), ...(options.now ? { now: options.now } : {}) };

  async function notify(build: BuildRecord): Promise<NotifyResult[]> {
    if (!wanted.has(build.state) || notifiers.length === 0) return [];
    try {
      const results = await notifyAll(notifiers, reportFor(build, ctx), { secrets, log });
      for (const r of results) log(`[${build.id}] ${r.name} notification ${r.ok ? 'sent' : `failed: ${r.error}`}`);
      return results;
    } catch (err) {
      // reportFor or a logger threw: the build's own outcome must not be affected.
      log(`[${build.id}] notification failed: ${(err as Error).message}`);
      return [];
    }
  }

  return {
    wants: (state) => wanted.has(state),
    notify,
    notifyLater(build) {
      if (!wanted.has(build.state) || notifiers.length === 0) return;
      const p = new Promise<void>((resolve) => setImmediate(resolve)).then(() => notify(build));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async notice(summary) {
      if (notifiers.length === 0) return [];
      // Not a build: the record only names the notice in log lines; the links go to the builds page.
      const build: BuildRecord = { id: 'freshness', state: 'succeeded', trigger: { kind: 'reconcile', sources: [] }, createdAt: new Date().toISOString(), attempts: 0, phases: {}, sources: [] };
      const report = { build, siteUrl: `${config.publicUrl}/`, buildUrl: `${config.publicUrl}/_builds/`, notice: summary };
      const results = await notifyAll(notifiers, report, { secrets, log }).catch(() => []);
      for (const r of results) log(`freshness ${r.name} notification ${r.ok ? 'sent' : `failed: ${r.error}`}`);
      return results;
    },
    async settled() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
