/**
 * One document never fails the whole site: a site of good pages plus one page per kind of content the
 * renderer refuses (found by scripts/fuzz-render.ts, kept here), transformed and built for real. The
 * build succeeds; each bad page is shown as text under a note, or renders without the part the site
 * cannot take, and says why (transform diagnostics, the build's `problems`); every good page is built.
 * Then a warm rebuild after an edit: the bad pages come from the mirror and are still reported.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSiteBuilder, type SiteBuilder, type SiteBuildResult } from '../../functions/core/build/createSiteBuilder.ts';
import type { SiteManifest } from '../../functions/core/build/siteManifest.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';
import type { Diagnostic, Page, SourceConfig } from '../../functions/core/types.ts';
import { RENDERER_BATTERY } from '../support/rendererBattery.ts';

/** A local folder: its relative image paths are kept as written (a GitHub source's go to GitHub, encoded). */
const source: SourceConfig = { id: 'docs', title: 'Docs', paths: ['docs'], localPath: '/docs' };
const BAD: Record<string, string> = {
  ...RENDERER_BATTERY,
  'docs/mixed.md': '# Mixed\n\nText <b>bold</b>\n\n:::tip{icon="rocket"}\nfine\n:::\n',
};
const GOOD: Record<string, string> = {
  // Starlight's own front matter keys with the wrong types: only title/description/position/category are read, so the page renders.
  'docs/starlight-keys.md':
    '---\ntitle: [a, b]\ntemplate: 5\nhero: x\nsidebar: 3\nhead: 1\ntableOfContents: yes\nlastUpdated: not a date\nprev: 1\nnext: {a: 1}\nbanner: 2\npagefind: maybe\ndraft: yes\neditUrl: 7\nslug: ../../x\n---\n\n# Keys\n\nGOOD-KEYS.\n',
  'docs/readme.md': '# Docs\n\nThe index. GOOD-INDEX.\n',
  'docs/guide.md': '# Guide\n\nGOOD-GUIDE-1.\n\n:::tip[Tip]{icon="rocket"}\nA good aside.\n:::\n\n```sh title="run" frame="terminal" {1} "ls"\nls\n```\n',
};

function transform(files: Record<string, string>): { pages: Page[]; diagnostics: Diagnostic[] } {
  return transformSource({
    source,
    sha: 'x',
    ref: 'main',
    files: Object.entries(files).map(([path, text]) => ({
      path,
      content: Buffer.from(text),
      lastCommit: { sha: 'x', date: path.includes('guide') ? 'not a date' : '2026-01-02T03:04:05Z' },
    })),
  });
}

describe('a page the renderer refuses never fails the site', () => {
  let dir: string;
  let builder: SiteBuilder;
  let first: SiteBuildResult;
  let diagnostics: Diagnostic[];
  const html = (out: string, slug: string): Promise<string> => readFile(join(dir, out, slug, 'index.html'), 'utf8');

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docs-sync-bad-pages-'));
    const t = transform({ ...GOOD, ...BAD });
    diagnostics = t.diagnostics;
    // A front matter value Starlight's schema refuses (the pipeline never writes one; the safety net must hold anyway).
    await writeContent(
      join(dir, 'content'),
      t.pages.map((p) => (p.slug === 'docs/guide' ? { ...p, editUrl: 'not a url' } : p)),
      [source],
    );
    const manifestFile = join(dir, 'content', 'site.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as SiteManifest;
    Object.assign(manifest.pages.find((p) => p.slug === 'docs/mixed')!, { description: 42 });
    await writeFile(manifestFile, JSON.stringify(manifest));
    builder = createSiteBuilder();
    first = await builder.build({ contentDir: join(dir, 'content'), outDir: join(dir, 'out'), cacheDir: join(dir, 'cache') });
  });
  after(async () => {
    await builder?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds every good page, and shows each page the renderer refused as text under a note, saying why', async () => {
    assert.match(await html('out', 'docs'), /GOOD-INDEX/);
    const guide = await html('out', 'docs/guide');
    assert.match(guide, /GOOD-GUIDE-1/);
    assert.match(guide, /starlight-aside--tip/, 'a good aside is rendered');
    assert.match(guide, /data-language="sh"/, 'a good code block is rendered by Expressive Code');
    const problems = new Map(first.problems.map((p) => [p.slug, p.message]));
    assert.deepEqual([...problems.keys()].sort(), ['docs/aside-icon', 'docs/mixed', 'docs/percent']);
    assert.match(problems.get('docs/aside-icon')!, /Invalid aside icon.*`nope`/);
    assert.match(problems.get('docs/percent')!, /URI malformed/);
    assert.match(problems.get('docs/mixed')!, /Starlight could not render the page \(Invalid frontmatter props/);
    // The page's text, escaped (the final HTML is serialised again after sanitising: a quote in text stays a quote).
    for (const [slug, text] of [
      ['docs/aside-icon', ':::note{icon="nope"}'],
      ['docs/percent', '![chart](./usage-50%.png)'],
    ] as const) {
      const page = await html('out', slug);
      assert.match(page, /class="starlight-aside starlight-aside--caution"[\s\S]*could not be rendered, so its text is shown as it is/, `${slug}: the note`);
      assert.ok(
        /<pre[^>]*><code>/.test(page.slice(page.indexOf('its text is shown as it is'))) && page.includes(text),
        `${slug}: its text, escaped, in a code block`,
      );
      assert.match(page, /<nav aria-labelledby="starlight__sidebar"|id="starlight__sidebar"/, `${slug}: still a page of the site, with its sidebar`);
    }
  });

  it('renders a code block without the options Expressive Code cannot take, with a diagnostic naming them', async () => {
    const about = (file: string): string =>
      diagnostics
        .filter((d) => d.file === file)
        .map((d) => d.message)
        .join(' | ');
    assert.match(about('docs/frame.md'), /left out: frame="terminall" \(frame must be one of code, terminal, none, auto\)/);
    assert.match(about('docs/empty-term.md'), /left out: "" \(an empty search term/);
    assert.match(about('docs/line-zero.md'), /left out: \{0\} \(line ranges are written like/);
    assert.match(await html('out', 'docs/line-zero'), /data-language="powershell"/);
    assert.match(await html('out', 'docs/empty-ansi'), /Before the block\.[\s\S]*data-language="text"/, 'an empty ANSI block renders as an empty text block');
    assert.match(await html('out', 'docs/frame'), /data-language="sh"[\s\S]*ls -la/);
    assert.match(await html('out', 'docs/empty-term'), /<span class="title">a\.js<\/span>[\s\S]*data-language="js"/);
  });

  it('leaves out an edit link or date Starlight would refuse instead of failing the page', async () => {
    const guide = await html('out', 'docs/guide');
    assert.doesNotMatch(guide, /not a url/);
    assert.match(await html('out', 'docs'), /2026/, 'a good last-updated date is still shown');
  });

  it("renders a page whose front matter gives Starlight's own keys the wrong types", async () => {
    assert.match(await html('out', 'docs/starlight-keys'), /GOOD-KEYS/);
    assert.ok(diagnostics.some((d) => d.file === 'docs/starlight-keys.md' && d.kind === 'front-matter' && /"title" should be text/.test(d.message)));
  });

  it('in a warm rebuild: shows edited bad pages as text again, and still reports those taken from the mirror', async () => {
    const edited = {
      'docs/aside-icon.md': BAD['docs/aside-icon.md']!.replace('An aside', 'Still an aside'),
      'docs/mixed.md': BAD['docs/mixed.md']!.replace('fine', 'edited'),
    };
    const t = transform({ ...GOOD, 'docs/guide.md': GOOD['docs/guide.md']!.replace('GOOD-GUIDE-1', 'GOOD-GUIDE-2'), ...BAD, ...edited });
    await writeContent(join(dir, 'content'), t.pages, [source]);
    const manifestFile = join(dir, 'content', 'site.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as SiteManifest;
    Object.assign(manifest.pages.find((p) => p.slug === 'docs/mixed')!, { description: 42 });
    await writeFile(manifestFile, JSON.stringify(manifest));
    const second = await builder.build({ contentDir: join(dir, 'content'), outDir: join(dir, 'out2'), cacheDir: join(dir, 'cache') });
    assert.equal(second.mode, 'warm');
    assert.equal(second.rendered, 3, 'only the edited pages are rendered');
    assert.match(await html('out2', 'docs/guide'), /GOOD-GUIDE-2/);
    assert.deepEqual(second.problems.map((p) => p.slug).sort(), ['docs/aside-icon', 'docs/mixed', 'docs/percent']);
    assert.match(await html('out2', 'docs/aside-icon'), /its text is shown as it is[\s\S]*Still an aside/);
    assert.match(await html('out2', 'docs/mixed'), /its text is shown as it is[\s\S]*edited/, 'Starlight refused it again: shown as text');
    assert.match(await html('out2', 'docs/percent'), /its text is shown as it is/);
  });
});
