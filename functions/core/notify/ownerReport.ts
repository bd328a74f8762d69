/**
 * What a source's owners are told: the build report narrowed to their source (its outcome, its broken
 * links, its pushes; not the site's totals or other sources), and only when the build concerns them.
 * Also told: links of their source that another source's push broke, and links into their source it broke.
 */
import type { BuildRecord, SourceConfig, SourceOutcome } from '../types.ts';
import type { NotifyReport } from './Notifier.ts';
import { rebuildTargets, reportFor, type ReportContext } from './reportFor.ts';

/** Whether this build brought new commits of the source (the same test as the report's "changed" rows). */
export function sourceChanged(s: SourceOutcome): boolean {
  return s.state === 'built' && (s.previousSha !== undefined || (s.fetched === true && (s.authors?.length ?? 0) > 0));
}

/**
 * Whether `build` concerns the owners of `source`: it failed while building their source, their source
 * is stale, left out or has broken links, or (with `notify: changes`) it changed their source.
 */
export function concernsOwners(build: BuildRecord, source: SourceConfig, sources: readonly SourceConfig[]): boolean {
  if (!source.owners) return false;
  if (build.state === 'failed') {
    const targets = rebuildTargets(build, sources);
    return targets !== undefined && (targets.length === 0 || targets.includes(source.id));
  }
  if (build.state !== 'succeeded' && build.state !== 'degraded') return false;
  const outcome = build.sources.find((s) => s.id === source.id);
  if (!outcome) return false;
  if (outcome.state !== 'built' || outcome.diagnostics.some((d) => d.kind === 'broken-link')) return true;
  if (build.inboundBroken?.some((x) => x.from.source === source.id || x.to.source === source.id)) return true;
  return source.owners.notify === 'changes' && sourceChanged(outcome);
}

/** The build as one source's owners see it: that source's outcome and pushes only, no site-wide page counts. */
export function narrowBuild(build: BuildRecord, source: SourceConfig): BuildRecord {
  const { pages: _sitePages, ...rest } = build;
  const narrowed: BuildRecord = { ...rest, sources: build.sources.filter((s) => s.id === source.id) };
  const inbound = build.inboundBroken?.filter((x) => x.from.source === source.id || x.to.source === source.id);
  if (inbound?.length) narrowed.inboundBroken = inbound;
  else delete narrowed.inboundBroken;
  if (build.request) {
    const repo = source.repo ? `${source.repo.owner}/${source.repo.name}`.toLowerCase() : undefined;
    narrowed.request = { ...build.request, pushes: build.request.pushes.filter((p) => p.repo.toLowerCase() === repo) };
  }
  return narrowed;
}

/** The report for the owners of `source`, or undefined when the build does not concern them. */
export function ownerReport(build: BuildRecord, source: SourceConfig, ctx: ReportContext): NotifyReport | undefined {
  if (!source.owners || !concernsOwners(build, source, ctx.sources)) return undefined;
  const report = reportFor(narrowBuild(build, source), ctx);
  report.audience = { source: source.id, atMobiles: source.owners.dingtalk?.atMobiles ?? [] };
  return report;
}
