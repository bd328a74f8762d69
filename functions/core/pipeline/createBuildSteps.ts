import { join } from 'node:path';
import { createSiteBuilder } from '../build/createSiteBuilder.ts';
import { writeContent } from '../build/writeContent.ts';
import type { Config } from '../config/loadConfig.ts';
import { envCredentials } from '../config/cloudCredentials.ts';
import { deployRelease } from '../deploy/deployRelease.ts';
import { createOssObjects, type CredentialsProvider } from '../deploy/oss/createOssObjects.ts';
import { createOssDeployStep } from '../deploy/oss/createOssDeployStep.ts';
import { readLiveRedirects } from '../deploy/oss/readLiveRedirects.ts';
import { createGitHubClient } from '../fetch/createGitHubClient.ts';
import { type FetchCache, openFetchCache } from '../fetch/fetchCache.ts';
import { fetchSources } from '../fetch/fetchSources.ts';
import { listMatchingRefs } from '../fetch/listMatchingRefs.ts';
import { githubWebUrl } from '../transform/githubUrls.ts';
import { createTransformRunner } from '../transform/createTransformRunner.ts';
import { transformSource } from '../transform/transformSource.ts';
import { buildSiteIndex } from '../transform/siteIndex.ts';
import { fetchPullRequest } from './fetchPullRequest.ts';
import type { BuildSteps } from './runBuild.ts';

/**
 * The production pipeline steps for a configuration; `fetch` is injectable for tests. With
 * DEPLOY_TARGET=oss the deploy step publishes to OSS with `ossCredentials` (default: the
 * ALIBABA_CLOUD_* environment variables; on FC, the function role's per-request credentials).
 */
export function createBuildSteps(
  config: Config,
  deps: { fetch?: typeof globalThis.fetch; log?: (line: string) => void; ossCredentials?: CredentialsProvider } = {},
): BuildSteps {
  const octokit = createGitHubClient({
    baseUrl: config.githubApiUrl,
    ...(config.githubToken ? { token: config.githubToken } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const oss =
    config.deploy.kind === 'oss'
      ? { target: config.deploy, credentials: deps.ossCredentials ?? envCredentials(process.env, 'the OSS deploy target') }
      : undefined;
  let cache: Promise<FetchCache> | undefined;
  // One conditional-request and blob cache per process, under DATA_DIR (see fetchCache.ts).
  const openCache = (): Promise<FetchCache> => (cache ??= openFetchCache(join(config.dataDir, 'cache', 'github')));
  // One warm site builder per process: after the first build it renders only the pages that changed.
  const builder = createSiteBuilder();
  // Transforms run in a worker thread (slow markdown never blocks the server), which keeps one transform
  // cache: a source is transformed again only when its result would change.
  const index = { githubApiUrl: config.githubApiUrl, siteUrls: [config.publicUrl] };
  const transforms = createTransformRunner({ index, ...(deps.log ? { log: deps.log } : {}) });
  return {
    fetchSources: async (sources, options) =>
      fetchSources(sources, { octokit, cache: await openCache(), ...options, ...(deps.log ? { onProgress: deps.log } : {}) }),
    listRefs: async (repo, prefix) => listMatchingRefs(octokit, await openCache())(repo, prefix),
    // PR previews: the live snapshot plus the pull request's changed files (never written anywhere).
    fetchPullRequest: (trigger, ctx) => fetchPullRequest(trigger, { ...ctx, octokit }),
    transformAll: (all, options) => transforms.transformAll(all, options),
    transformSource,
    indexSite: (all) => buildSiteIndex(all, index),
    writeContent: (dir, pages, sources, meta) =>
      writeContent(dir, pages, sources, { url: config.publicUrl, githubUrl: githubWebUrl(config.githubApiUrl), ...meta }),
    buildSite: (options) => builder.build(options),
    deployRelease: oss ? createOssDeployStep(oss.target, oss.credentials, deps.log) : (options) => deployRelease(options),
    ...(oss ? { liveRedirects: () => readLiveRedirects(createOssObjects(oss.target, oss.credentials)) } : {}),
    close: async () => {
      await transforms.close();
      await builder.close();
    },
  };
}
