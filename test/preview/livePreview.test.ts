/**
 * `npm run preview` end to end: a real child process previews a fixture folder standing in for source
 * "docs" (the other source from a live DATA_DIR's snapshot), Chromium opens the page, the test saves an
 * edit and sees the page reload with the new text by itself (the live-reload channel), the broken link
 * in the edit printed as a diagnostic, a page that would move named — and the live DATA_DIR untouched.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright';
import { loadSources } from '../../functions/core/config/loadSources.ts';
import { saveSnapshot } from '../../functions/core/pipeline/snapshots.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { startPreviewProcess, type PreviewProcess } from '../support/startPreviewProcess.ts';

let dir: string;
let browser: Browser;
let preview: PreviewProcess;

/** Every file under `root` with a digest of its content. */
function fingerprint(root: string): string {
  const entries = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return entries
    .map(
      (e) =>
        `${join(e.parentPath, e.name)} ${createHash('sha256')
          .update(readFileSync(join(e.parentPath, e.name)))
          .digest('hex')}`,
    )
    .sort()
    .join('\n');
}

const HOME = (version: string, extra = '') => `---\ntitle: Author home\n---\n\nThis is the ${version} version.${extra}\n\nSee [the guide](./guide.md).\n`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preview-'));
  const folder = join(dir, 'author');
  mkdirSync(folder);
  writeFileSync(join(folder, 'readme.md'), HOME('first'));
  writeFileSync(join(folder, 'guide.md'), '# Guide\n\nRead me.\n');
  writeFileSync(
    join(dir, 'sources.yaml'),
    'sources:\n  - id: docs\n    title: Docs\n    repo: acme/docs\n  - id: other\n    title: Other\n    repo: acme/other\n',
  );
  // A live site's DATA_DIR: "other" as last fetched, and the live page list (docs/old-page is gone in the folder).
  const live = join(dir, 'live');
  const other = loadSources(join(dir, 'sources.yaml')).find((s) => s.id === 'other')!;
  await saveSnapshot(live, {
    source: other,
    sha: 'abc1234',
    ref: 'main',
    files: [{ path: 'docs/readme.md', content: Buffer.from('# Other component\n\nFrom the live snapshot.\n') }],
  });
  writeFileSync(join(live, 'pages.json'), JSON.stringify({ docs: 'x', 'docs/guide': 'y', 'docs/old-page': 'z', other: 'w' }));
  browser = await launchBrowser();
  preview = await startPreviewProcess([
    folder,
    '--as',
    'docs',
    '--sources',
    join(dir, 'sources.yaml'),
    '--data-dir',
    live,
    '--port',
    '0',
    '--work-dir',
    join(dir, 'work'),
  ]);
});

after(async () => {
  await preview?.stop();
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a save reloads the open page with the new text, prints its broken link, and never writes to the live DATA_DIR', { timeout: 300_000 }, async () => {
  const liveBefore = fingerprint(join(dir, 'live'));
  await preview.waitFor(/Rebuilt in \d+ ms/, { timeoutMs: 240_000 });
  // The report's lines follow the first one (possibly in a later chunk of output).
  await preview.waitFor(/Pages that would move or go \(their live URLs would break\): \/docs\/old-page\//, { timeoutMs: 5000 });
  const other = await fetch(new URL('/other/', preview.pageUrl));
  assert.equal(other.status, 200, 'the other source, from the live snapshot');
  assert.match(await other.text(), /From the live snapshot/);

  const page = await browser.newPage();
  const listening = page.waitForResponse((r) => r.url().endsWith('/_preview/events'));
  await page.goto(preview.pageUrl);
  assert.match(await page.locator('main').innerText(), /This is the first version\./);
  await listening;

  const from = preview.output().length;
  const saved = Date.now();
  writeFileSync(join(dir, 'author', 'readme.md'), HOME('second', ' Now with [a broken link](./missing.md).'));
  let text = '';
  while (Date.now() - saved < 30_000 && !text.includes('second version')) {
    text = await page
      .locator('main')
      .innerText({ timeout: 1000 })
      .catch(() => '');
    if (!text.includes('second version')) await new Promise((r) => setTimeout(r, 25));
  }
  const delay = Date.now() - saved;
  console.log(`save → new text in Chromium: ${delay} ms`);
  assert.match(text, /This is the second version\. Now with a broken link\./, 'the page reloaded by itself');
  await preview.waitFor(/broken link: readme\.md:\d+: Broken link "\.\/missing\.md"/, { from, timeoutMs: 10_000 });
  assert.ok(delay < 10_000, `the new text took ${delay} ms (target about 1 s)`);
  await page.close();

  assert.equal(fingerprint(join(dir, 'live')), liveBefore, 'the live DATA_DIR is only read');
  assert.ok(readdirSync(join(dir, 'work')).includes('current'), 'the preview deploys into its own work folder');
});
