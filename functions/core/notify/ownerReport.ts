/**
 * What a source's owners are told: the build report narrowed to their source (its outcome, its broken
 * links, its pushes; not the site's totals or other sources), and only when the build concerns them.
 * Also told: links of their source that another source's push broke, and links into their source it broke.
 */
import type { BuildRecord, SourceConfig, SourceOutcome } from '../types.ts';
import type { NotifyReport } from './Notifier.ts';
import { rebuildTargets, reportFor, type ReportContext } from './reportFor.ts';

/** Whether outcome id `id` is `source` or one of its old versions (`<source>/<version>`, sources file `versions:`). */
const isOf = (id: string, source: SourceConfig): boolean => id === source.id || id.startsWith(`${source.id}/`);

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
  // Their source's versions are theirs too.
  const outcomes = build.sources.filter((s) => isOf(s.id, source));
  if (!outcomes.length) return false;
  if (outcomes.some((o) => o.state !== 'built' || o.diagnostics.some((d) => d.kind === 'broken-link'))) return true;
  if (build.inboundBroken?.some((x) => isOf(x.from.source, source) || isOf(x.to.source, source))) return true;
  return source.owners.notify === 'changes' && outcomes.some(sourceChanged);
}

/** The build as one source's owners see it: that source's outcome and pushes only, no site-wide page counts. */
export function narrowBuild(build: BuildRecord, source: SourceConfig): BuildRecord {
  const { pages: _sitePages, ...rest } = build;
  const narrowed: BuildRecord = { ...rest, sources: build.sources.filter((s) => isOf(s.id, source)) };
  const inbound = build.inboundBroken?.filter((x) => isOf(x.from.source, source) || isOf(x.to.source, source));
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
