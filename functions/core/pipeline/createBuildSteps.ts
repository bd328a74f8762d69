import { buildSite } from '../build/buildSite.ts';
import { writeContent } from '../build/writeContent.ts';
import type { Config } from '../config/loadConfig.ts';
import { deployRelease } from '../deploy/deployRelease.ts';
import { createGitHubClient } from '../fetch/createGitHubClient.ts';
import { fetchSources } from '../fetch/fetchSources.ts';
import { buildSiteIndex } from '../transform/siteIndex.ts';
import { transformSource } from '../transform/transformSource.ts';
import type { BuildSteps } from './runBuild.ts';

/** The production pipeline steps for a configuration; `fetch` is injectable for tests. */
export function createBuildSteps(config: Config, deps: { fetch?: typeof globalThis.fetch } = {}): BuildSteps {
  const octokit = createGitHubClient({
    baseUrl: config.githubApiUrl,
    ...(config.githubToken ? { token: config.githubToken } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  return {
    fetchSources: (sources) => fetchSources(sources, { octokit }),
    transformSource,
    indexSite: (all) => buildSiteIndex(all, { githubApiUrl: config.githubApiUrl, siteUrls: [config.publicUrl] }),
    writeContent: (dir, pages, sources) => writeContent(dir, pages, sources, { url: config.publicUrl }),
    buildSite: (options) => buildSite(options),
    deployRelease: (options) => deployRelease(options),
  };
}
