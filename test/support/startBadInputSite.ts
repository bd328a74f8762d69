/**
 * The site the bad-input batteries (test/faults/badHttpInput.test.ts, badContent.test.ts) run against:
 * the real server over a fake GitHub holding acme/widgets with a readme, a guide and a README outside
 * the docs, started and waited on until its first build has succeeded.
 *
 *   const site = await startBadInputSite();
 *   … site.server.url …
 *   await site.close();
 */
import assert from 'node:assert/strict';
import { waitForBuild } from './startServerProcess.ts';
import { getJson, startSiteFixture, type SiteFixture } from './siteFixture.ts';

/** Start the site fixture and wait until its first build succeeded (asserts it did). */
export async function startBadInputSite(): Promise<SiteFixture> {
  const site = await startSiteFixture({
    files: {
      'docs/readme.md': '# Widgets\n\nWidgets make things. Baseline text.\n',
      'docs/guide.md': '---\ntitle: Guide\n---\nThe guide, unchanged.\n',
      'README.md': '# not docs\n',
    },
  });
  try {
    const first = await waitForFirstBuild(site.server.url);
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
  } catch (err) {
    await site.close();
    throw err;
  }
  return site;
}

async function waitForFirstBuild(url: string): Promise<any> {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    const builds = (await getJson(`${url}/builds`).catch(() => ({ builds: [] }))).builds as any[];
    if (builds[0]) return waitForBuild(url, builds[0].id);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('no first build');
}
