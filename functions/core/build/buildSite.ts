import { createSiteBuilder, type BuildSiteOptions, type SiteBuildResult } from './createSiteBuilder.ts';

export { assertNodeVersion, SITE_DIR } from './createSiteBuilder.ts';
export type { BuildSiteOptions, SiteBuildResult } from './createSiteBuilder.ts';

/**
 * Build the site once, in a builder process started for this build and stopped after it. It still
 * renders only what changed since the last build that used the same `cacheDir` (the first build of a
 * process runs `astro build`, ~5 s at 2,000 pages). A long-running process should keep one
 * createSiteBuilder() instead: its later builds skip `astro build` and take about a second.
 * Throws, with the last lines of output, when the build fails, times out or is aborted.
 */
export async function buildSite(options: BuildSiteOptions): Promise<SiteBuildResult> {
  const builder = createSiteBuilder();
  try {
    return await builder.build(options);
  } finally {
    await builder.close();
  }
}
