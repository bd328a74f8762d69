/**
 * A page that takes the renderer down instead of making it throw: a code block whose marker is a
 * regular expression that backtracks for ever on its line (```` ```js /(a+)+$/ ````) hangs Expressive
 * Code, no try/catch can help, and the site build is killed when its time runs out. The next attempt
 * must not hang on the same page: it is shown as text with a diagnostic, the rest builds (renderGuard.ts).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createSiteBuilder } from '../../functions/core/build/createSiteBuilder.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import type { Page, SourceConfig } from '../../functions/core/types.ts';

const source: SourceConfig = { id: 'g', title: 'Guard', paths: ['docs'], localPath: '/g' };
const pages: Page[] = [
  { source: 'g', slug: 'g', file: 'docs/readme.md', title: 'Guard', body: 'GOOD-GUARD-INDEX' },
  { source: 'g', slug: 'g/redos', file: 'docs/redos.md', title: 'ReDoS', body: `Before.\n\n\`\`\`txt /(a+)+$/\n${'a'.repeat(40)}!\n\`\`\`\n` },
];
const builder = createSiteBuilder();
let dir = '';
after(async () => {
  await builder.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('shows a page that hung the renderer as text on the next attempt, and builds the rest', { timeout: 900_000 }, async () => {
  dir = await mkdtemp(join(tmpdir(), 'docs-sync-guard-'));
  const options = { contentDir: join(dir, 'content'), cacheDir: join(dir, 'cache') };
  await writeContent(options.contentDir, pages, [source]);
  await assert.rejects(builder.build({ ...options, outDir: join(dir, 'out1'), timeoutMs: 40_000 }), /The site build timed out after 40 s/);
  const next = await builder.build({ ...options, outDir: join(dir, 'out2'), timeoutMs: 300_000 });
  assert.deepEqual(
    next.problems.map((p) => p.slug),
    ['g/redos'],
  );
  assert.match(next.problems[0]!.message, /stopped responding or crashed on this page in an earlier build attempt/);
  assert.match(await readFile(join(dir, 'out2', 'g', 'index.html'), 'utf8'), /GOOD-GUARD-INDEX/);
  const shown = await readFile(join(dir, 'out2', 'g', 'redos', 'index.html'), 'utf8');
  assert.match(shown, /its text is shown as it is[\s\S]*\/\(a\+\)\+\$\//);
  // Still shown as text (and reported) while the page does not change, without trying it again.
  const again = await builder.build({ ...options, outDir: join(dir, 'out3'), timeoutMs: 300_000 });
  assert.deepEqual(
    again.problems.map((p) => p.slug),
    ['g/redos'],
  );
});
