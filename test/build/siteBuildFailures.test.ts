/**
 * Builds that must fail, each with an error saying what happened and what to do: a content file changed
 * behind its manifest, a content folder without a manifest, an aborted or timed-out build, an old Node.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertNodeVersion, buildSite } from '../../functions/core/build/buildSite.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { pages, sources } from './fixturePages.ts';

describe('failing builds', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-site-bad-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('reports a content file changed behind its manifest, naming it, with the last lines of output', async () => {
    const content = join(dir, 'content');
    await writeContent(content, pages.slice(0, 4), sources.slice(0, 1));
    await writeFile(join(content, 'fc/quick-start.md'), '---\ntitle: [unclosed\nslug: fc/quick-start\n---\nBody\n');
    await assert.rejects(buildSite({ contentDir: content, outDir: join(dir, 'out'), cacheDir: join(dir, 'cache') }), (err: Error) => {
      assert.match(err.message, /^The site build failed: Cannot render \S*fc\/quick-start\.md: the file does not match its digest in site\.json/);
      assert.match(err.message, /Last \d+ lines of output:/);
      return true;
    });
  });

  it('reports a content folder without a site manifest', async () => {
    const content = join(dir, 'empty');
    await assert.rejects(buildSite({ contentDir: content, outDir: join(dir, 'out2'), cacheDir: join(dir, 'cache') }), (err: Error) => {
      assert.match(err.message, /site build failed/);
      assert.match(err.message, /Cannot read the site manifest .*site\.json/);
      return true;
    });
  });

  it('stops a build that is aborted or runs out of time, and says which', async () => {
    const content = join(dir, 'content-ok');
    await writeContent(content, pages.slice(0, 1), sources.slice(0, 1));
    const controller = new AbortController();
    const aborted = buildSite({
      contentDir: content,
      outDir: join(dir, 'out3'),
      cacheDir: join(dir, 'cache'),
      signal: controller.signal,
      onLine: () => controller.abort(),
    });
    await assert.rejects(aborted, /^Error: The site build was cancelled\. Content: /);
    const slow = buildSite({ contentDir: content, outDir: join(dir, 'out4'), cacheDir: join(dir, 'cache'), timeoutMs: 50 });
    await assert.rejects(slow, /^Error: The site build timed out after 50 ms\./);
    assert.equal(existsSync(join(dir, 'out4', 'index.html')), false);
  });

  it('refuses to run on Node older than 22.12 with a message saying what to do', () => {
    assert.throws(() => assertNodeVersion('20.19.0'), /Astro 7 needs Node >= 22\.12, but this process runs Node 20\.19\.0\. Start docs-sync through npm/);
    assert.throws(() => assertNodeVersion('22.11.0'), /needs Node >= 22\.12/);
    assert.doesNotThrow(() => assertNodeVersion('22.12.0'));
    assert.doesNotThrow(() => assertNodeVersion('24.1.0'));
  });
});
