/**
 * The preview build of a pull request (issue 10): the site as it would be with the PR merged, published
 * beside the live site and never instead of it. The PR's sources come from `steps.fetchPullRequest`
 * (the live copy plus the PR's changed files); every other source is its live snapshot (no GitHub
 * call). Everything is transformed like a live build and built by the warm site builder against the
 * live build's state without committing to it, so only pages whose inputs differ are rendered. The
 * result is published at DATA_DIR/previews/<key>/ (deploy/previews.ts). The live page index, redirects
 * table, inbound-links file, snapshots and releases are read, never written. A `close` trigger removes
 * the preview.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { previewKey, publishPreview, removePreview } from '../deploy/previews.ts';
import { writeRedirects } from '../redirects/redirectStore.ts';
import type { BuildRecord, FetchedSource, PreviewTrigger, SourceConfig } from '../types.ts';
import { buildInto, movedPages, phaseTimer, transformStates } from './buildPhases.ts';
import type { SourceState } from './fetchWithFallback.ts';
import { findInboundBroken, loadInboundLinks } from './inboundBroken.ts';
import { diffPages, loadPageIndex } from './pageIndex.ts';
import { PhaseError, type RunBuildContext } from './runBuild.ts';
import { loadSnapshot } from './snapshots.ts';
import { resolveVersions } from '../versions/resolveVersions.ts';

/** Fetches the PR's sources: one FetchedSource per source of `trigger.sources` (sha = the PR head), and the REST requests spent. */
export type FetchPullRequestStep = (
  trigger: PreviewTrigger,
  ctx: { sources: SourceConfig[]; dataDir: string; log: (line: string) => void; signal?: AbortSignal },
) => Promise<{ fetched: FetchedSource[]; requests: number }>;

export interface RunPreviewContext extends RunBuildContext {
  /** The preview's URL for a key (PREVIEW_URL). */
  previewUrl: (key: string) => string;
  now?: () => number;
}

/** The PR's sources from the fetch step, every other one from its live snapshot. */
async function previewSources(build: BuildRecord, trigger: PreviewTrigger, ctx: RunPreviewContext): Promise<{ states: SourceState[]; requests: number }> {
  const log = (line: string) => ctx.log?.(`[${build.id}] ${line}`);
  if (!ctx.steps.fetchPullRequest)
    throw new PhaseError('fetch', 'PR previews need the pull request fetch step (steps.fetchPullRequest), which this builder lacks.');
  const pr = await ctx.steps.fetchPullRequest(trigger, { sources: ctx.sources, dataDir: ctx.dataDir, log, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const fromPr = new Map(pr.fetched.map((f) => [f.source.id, f]));
  const states: SourceState[] = [];
  for (const source of ctx.sources) {
    const live = await loadSnapshot(ctx.dataDir, source);
    const privacy = (f: FetchedSource) => (f.private !== undefined ? { private: f.private } : {});
    const head = fromPr.get(source.id);
    if (head) {
      // previousSha: the live commit, so links of other sources that this PR breaks are found (findInboundBroken).
      const before = live && live.sha !== head.sha ? { previousSha: live.sha } : {};
      states.push({
        fetched: head,
        outcome: { id: source.id, state: 'built', sha: head.sha, fetched: true, ...before, authors: [trigger.pr.author], ...privacy(head) },
      });
    } else if (live) {
      states.push({ fetched: live, outcome: { id: source.id, state: 'built', sha: live.sha, fetched: false, ...privacy(live) } });
    } else {
      const error = 'not on the live site yet (no live copy): left out of the preview';
      states.push({ fetched: { source, sha: '', ref: '', files: [] }, outcome: { id: source.id, state: 'failed', error } });
    }
  }
  const missing = trigger.sources.filter((id) => !fromPr.has(id));
  if (missing.length) throw new PhaseError('fetch', `the pull request fetch returned nothing for ${missing.join(', ')}`);
  log(
    `fetched ${pr.fetched.length} source(s) of ${trigger.pr.repo}#${trigger.pr.number} in ${pr.requests} GitHub request(s); ${states.length - pr.fetched.length} from the live site`,
  );
  return { states, requests: pr.requests };
}

/** Build and publish (or, for `close`, remove) the preview of the build's pull request. Throws PhaseError. */
export async function runPreviewBuild(build: BuildRecord, ctx: RunPreviewContext): Promise<BuildRecord> {
  const trigger = build.trigger;
  if (trigger.kind !== 'preview') throw new PhaseError('fetch', `runPreviewBuild runs preview builds, not ${trigger.kind} builds`);
  const log = ctx.log ?? (() => {});
  const { dataDir } = ctx;
  const phase = phaseTimer(build, ctx);
  build.phases = {};
  build.sources = [];
  delete build.inboundBroken;
  delete build.pages;
  const key = previewKey(trigger);
  const url = ctx.previewUrl(key);

  if (trigger.action === 'close') {
    const existed = await phase('deploy', () => removePreview(dataDir, key));
    log(`[${build.id}] preview ${key} ${existed ? 'removed' : 'was already gone'} (pull request closed)`);
    build.preview = { key, url, removed: true };
    return build;
  }

  // Versioned sources as the live site publishes them (the kept list: a preview never lists versions on GitHub).
  const sources = await resolveVersions(build, ctx.sources, { dataDir, log: (l) => log(`[${build.id}] ${l}`) });
  const live = { ...ctx, sources };
  const { states, requests } = await phase('fetch', () => previewSources(build, trigger, live));
  const pages = await phase('transform', () => transformStates(build, states, ctx.steps, ctx.signal));
  const workDir = join(dataDir, 'work', build.id);
  const outDir = join(dataDir, 'work', `${build.id}-out`);
  const { rendered } = await phase('build', () => buildInto(build, states, pages, { ...live, workDir, outDir, commit: false }));

  await phase('deploy', async () => {
    build.pages = diffPages(await loadPageIndex(dataDir), pages);
    // Pages the PR moves redirect in the preview too; the live table is not saved.
    await writeRedirects(outDir, await movedPages(build, states, pages, ctx));
    const inbound = findInboundBroken(await loadInboundLinks(dataDir), build.sources);
    if (inbound.length) build.inboundBroken = inbound;
    const { repo, number, title, url: prUrl, author, headSha, headRef } = trigger.pr;
    const builtAt = new Date(ctx.now?.() ?? Date.now()).toISOString();
    await publishPreview(dataDir, outDir, { key, url, pr: { repo, number, title, url: prUrl, author, headSha, headRef }, builtAt, build: build.id });
    await rm(workDir, { recursive: true, force: true });
  });
  build.preview = { key, url, ...(rendered !== undefined ? { rendered } : {}), requests };
  log(`[${build.id}] preview ${key} published at ${url}${rendered !== undefined ? ` (${rendered} page(s) rendered)` : ''}`);
  return build;
}
