import type { Config } from '../config/loadConfig.ts';
import type { BuildRecord, BuildState, SourceConfig } from '../types.ts';
import { createNotifiers } from './createNotifiers.ts';
import type { Notifier, NotifyResult } from './Notifier.ts';
import { createOwnerNotifiers } from './createOwnerNotifiers.ts';
import { notifyAll } from './notifyAll.ts';
import { ownerReport } from './ownerReport.ts';
import { reportFor } from './reportFor.ts';
import { secretsOf } from './secretsOf.ts';
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
  const { config, sources, log } = options;
  const deps = options.fetch ? { fetch: options.fetch } : {};
  const notifiers = options.notifiers ?? createNotifiers(config, deps);
  const owners = createOwnerNotifiers(config, sources, notifiers, deps);
  for (const w of owners.warnings) log(w);
  const secrets = [...options.secrets, ...secretsOf(config, sources)];
  const wanted = new Set<BuildState>(config.notifyOn);
  const pending = new Set<Promise<unknown>>();
  const ctx = {
    publicUrl: config.publicUrl,
    githubApiUrl: config.githubApiUrl,
    sources,
    ...(config.rebuildToken ? { rebuildToken: config.rebuildToken } : {}),
    ...(config.statusToken ? { statusToken: config.statusToken } : {}),
    ...(config.statusPublic ? { statusPublic: true } : {}),
    ...(options.now ? { now: options.now } : {}),
  };
  const anyone = notifiers.length > 0 || owners.bySource.size > 0;

  /** The operators get the whole report; each concerned source's owners get theirs (once per build). */
  async function sendAll(build: BuildRecord): Promise<NotifyResult[]> {
    const jobs: Array<Promise<NotifyResult[]>> = [];
    if (notifiers.length) {
      jobs.push(
        notifyAll(notifiers, reportFor(build, ctx), { secrets, log }).then((results) => {
          for (const r of results) log(`[${build.id}] ${r.name} notification ${r.ok ? 'sent' : `failed: ${r.error}`}`);
          return results;
        }),
      );
    }
    for (const source of sources) {
      const channels = owners.bySource.get(source.id);
      const report = channels ? ownerReport(build, source, ctx) : undefined;
      if (!channels || !report) continue;
      jobs.push(
        notifyAll(channels, report, { secrets, log }).then((results) =>
          results.map((r) => {
            const name = `${r.name} to owners of ${source.id}`;
            log(`[${build.id}] ${name} ${r.ok ? 'sent' : `failed: ${r.error}`}`);
            return { ...r, name };
          }),
        ),
      );
    }
    return (await Promise.all(jobs)).flat();
  }

  // A PR preview is not a site update: it is reported on its pull request (commit status) and its build
  // page; a failed one is in the log and on the build page, never in the operators' or owners' channels.
  const reported = (build: BuildRecord): boolean => wanted.has(build.state) && anyone && build.trigger.kind !== 'preview';

  async function notify(build: BuildRecord): Promise<NotifyResult[]> {
    if (!reported(build)) return [];
    try {
      return await sendAll(build);
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
      if (!reported(build)) return;
      const p = new Promise<void>((resolve) => setImmediate(resolve)).then(() => notify(build));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async notice(summary) {
      if (notifiers.length === 0) return [];
      // Not a build: the record only names the notice in log lines; the links go to the builds page.
      const build: BuildRecord = {
        id: 'freshness',
        state: 'succeeded',
        trigger: { kind: 'reconcile', sources: [] },
        createdAt: new Date().toISOString(),
        attempts: 0,
        phases: {},
        sources: [],
      };
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
