import { rebuildLink } from '../rebuild/rebuildLink.ts';
import type { BuildRecord, SourceConfig } from '../types.ts';
import type { NotifyReport } from './Notifier.ts';
import { githubWebUrl } from '../transform/githubUrls.ts';
import { privateRepos } from '../http/privateRepos.ts';
import { statusAccess, unprotectedWarning } from '../http/statusAccess.ts';

export interface ReportContext {
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** GITHUB_API_URL: compare links go to the matching web host. */
  githubApiUrl: string;
  /** REBUILD_TOKEN: with it, reports carry a signed rebuild link (never the token). */
  rebuildToken?: string;
  /** STATUS_TOKEN (or STATUS_TOKEN=public): a private repository built with public status pages is warned about. */
  statusToken?: string;
  statusPublic?: boolean;
  sources: readonly SourceConfig[];
  now?: () => number;
}

/** The GitHub web base of an API base URL, as the site's edit links use it (transform/githubUrls.ts). */
export { githubWebUrl as gitHubWebUrl };

/**
 * What the "Rebuild" button should rebuild: the sources that are stale or failed when there are any,
 * else the sources this build was asked for (pushed repositories, named sources). Empty = all sources;
 * undefined = nothing to rebuild (a push of a repository no source tracks).
 */
export function rebuildTargets(build: BuildRecord, sources: readonly SourceConfig[]): string[] | undefined {
  const troubled = build.sources.filter((s) => s.state !== 'built').map((s) => s.id);
  if (troubled.length) return troubled;
  const manual = build.request?.manual ?? (build.trigger.kind === 'manual' ? { sources: build.trigger.sources } : undefined);
  if (manual && !manual.sources?.length) return [];
  const repos = new Set((build.request?.pushes ?? (build.trigger.kind === 'push' ? [build.trigger] : [])).map((p) => p.repo.toLowerCase()));
  const ids = new Set([
    ...(manual?.sources ?? []),
    ...(build.request?.reconciled ?? (build.trigger.kind === 'reconcile' ? build.trigger.sources : [])).map((r) => r.id),
  ]);
  for (const s of sources) if (s.repo && repos.has(`${s.repo.owner}/${s.repo.name}`.toLowerCase())) ids.add(s.id);
  const known = [...ids].filter((id) => sources.some((s) => s.id === id));
  return known.length ? known : undefined;
}

/** The report the notifiers get for `build`: the site, the build's page (`/_builds/<id>`), compare links, the signed rebuild link. */
export function reportFor(build: BuildRecord, ctx: ReportContext): NotifyReport {
  const publicUrl = ctx.publicUrl.replace(/\/+$/, '');
  const web = githubWebUrl(ctx.githubApiUrl);
  const repoUrls: Record<string, string> = {};
  for (const s of ctx.sources) if (s.repo) repoUrls[s.id] = `${web}/${s.repo.owner}/${s.repo.name}`;
  const report: NotifyReport = { build, siteUrl: `${publicUrl}/`, buildUrl: `${publicUrl}/_builds/${build.id}`, repoUrls };
  // Only STATUS_TOKEN decides this here (on Function Compute the builder has no REBUILD_TOKEN).
  const warning = unprotectedWarning(statusAccess({ statusToken: ctx.statusToken, statusPublic: ctx.statusPublic }, privateRepos([build], ctx.sources)));
  if (warning) report.warnings = [`Warning: ${warning}`];
  // A superseded build is built by its carrier: nothing to rebuild.
  if (ctx.rebuildToken && build.state !== 'superseded') {
    const targets = rebuildTargets(build, ctx.sources);
    if (targets) {
      report.rebuildUrl = rebuildLink({ publicUrl, token: ctx.rebuildToken, sources: targets, now: (ctx.now ?? Date.now)() });
    }
  }
  return report;
}
