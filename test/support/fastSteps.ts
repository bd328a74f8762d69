import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { deployRelease } from '../../functions/core/deploy/deployRelease.ts';
import type { BuildSteps } from '../../functions/core/pipeline/runBuild.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';

/**
 * The production steps for orchestrator tests, except the Astro build, replaced by a copy of the
 * generated content (plus an index.html so the deploy accepts it). The real build is covered by
 * test/build, test/site and test/e2e.
 */
export function fastSteps(fetchSources: BuildSteps['fetchSources']): BuildSteps {
  return {
    fetchSources,
    transformSource,
    writeContent,
    buildSite: async ({ contentDir, outDir }) => {
      await cp(contentDir, outDir, { recursive: true });
      await writeFile(join(outDir, 'index.html'), '<!doctype html><title>fixture</title>');
    },
    deployRelease,
  };
}
