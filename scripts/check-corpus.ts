/**
 * Realism check for the transform step (not a test):
 *   npm run check:corpus -- [dir] [--published https://old.site/ ...]
 * Every top-level folder of the corpus (default ../shared/corpus) is one source. With a manifest.json
 * (owner, repo, ref, docsPaths per folder) the folder is that GitHub repository with its docs folders
 * and its id is the repository name; otherwise a local source with docs path `.`. `--published <url>`
 * says every source was published before at `<url><id>/` (e.g. https://serverless-devs.com/), so
 * links to those pages become internal. One site index over all sources, then transformSource per
 * source; prints pages per language, links rewritten, diagnostics by kind (broken links split into
 * missing file / missing anchor), time, and any exception. Then the transformed pages are rendered
 * with Astro's own Markdown processor (Sätteri) to check that our heading ids are the ones the site
 * gets and that every rewritten `#anchor` exists on its target page.
 * CHECK_CORPUS_SHOW=n prints n examples of each kind (default 5).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Nodes } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { tokenizeHtml } from '../functions/core/transform/html/tokenizeHtml.ts';
import { buildSiteIndex } from '../functions/core/transform/siteIndex.ts';
import { emptyLinkStats, type LinkStats } from '../functions/core/transform/transformData.ts';
import { transformSource } from '../functions/core/transform/transformSource.ts';
import type { Diagnostic, FetchedSource, Page } from '../functions/core/types.ts';
import { corpusSources } from './bench-build/corpusSources.ts';

const args = process.argv.slice(2);
const published: string[] = [];
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--published' && args[i + 1]) published.push(args[++i]!.replace(/\/?$/, '/'));
  else positional.push(args[i]!);
}
const dir = resolve(positional[0] ?? '../shared/corpus');
const limit = Number(process.env.CHECK_CORPUS_SHOW ?? 5);
const fetched: FetchedSource[] = corpusSources(dir);
if (published.length) for (const f of fetched) f.source.publishedUrls = published.map((u) => `${u}${f.source.id}/`);

const start = performance.now();
const siteIndex = buildSiteIndex(fetched);
const byKind = new Map<string, Diagnostic[]>();
const links: LinkStats = emptyLinkStats();
const pages: Page[] = [];
let exceptions = 0;
for (const f of fetched) {
  const t0 = performance.now();
  try {
    const result = transformSource(f, { siteIndex });
    pages.push(...result.pages);
    for (const d of result.diagnostics) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d]);
    for (const key of Object.keys(links) as Array<keyof LinkStats>) links[key] += result.links[key];
    const en = result.pages.filter((p) => p.lang === 'en').length;
    console.log(
      `${f.source.id.padEnd(26)} ${f.source.paths.join(',').padEnd(22)} ${String(f.files.length).padStart(4)} files ${String(result.pages.length).padStart(4)} pages (${String(en).padStart(3)} en) ${String(result.diagnostics.length).padStart(4)} diagnostics ${(performance.now() - t0).toFixed(0).padStart(6)} ms`,
    );
  } catch (error) {
    exceptions++;
    console.log(`${f.source.id}: EXCEPTION ${error instanceof Error ? error.stack : String(error)}`);
  }
}
const elapsed = performance.now() - start;
const files = fetched.reduce((n, f) => n + f.files.length, 0);
const langs = { 'zh-CN': pages.filter((p) => p.lang !== 'en').length, en: pages.filter((p) => p.lang === 'en').length };
const keys = new Set(pages.filter((p) => p.lang === 'en').map((p) => p.translationKey));
const paired = pages.filter((p) => p.lang !== 'en' && keys.has(p.translationKey)).length;
console.log(
  `\nTotal: ${files} files → ${pages.length} pages (zh-CN ${langs['zh-CN']}, en ${langs.en}; ${paired} pairs) in ${(elapsed / 1000).toFixed(2)} s; exceptions: ${exceptions}`,
);
console.log('Links rewritten:', {
  relative: links.relative,
  crossSource: links.crossSource,
  ownAbsolute: links.absolute,
  anchors: links.anchors,
  toGitHub: links.toGitHub,
});
console.log('Broken links:', { missingFile: links.brokenFiles, missingAnchor: links.brokenAnchors });
console.log('Diagnostics by kind:', Object.fromEntries([...byKind].map(([k, v]) => [k, v.length]).sort()));
const show = (title: string, list: Diagnostic[]): void => {
  console.log(`\n${title} — first ${Math.min(limit, list.length)} of ${list.length}:`);
  for (const d of list.slice(0, limit)) console.log(`  ${d.source}/${d.file}${d.line ? `:${d.line}` : ''} ${d.message}`);
};
for (const [kind, list] of [...byKind].sort()) {
  if (kind !== 'broken-link') show(kind, list);
  else {
    show(
      'broken-link (missing file)',
      list.filter((d) => !d.message.includes(': anchor #')),
    );
    show(
      'broken-link (missing anchor)',
      list.filter((d) => d.message.includes(': anchor #')),
    );
  }
}

/** Render the pages with Astro's Markdown processor and compare heading ids and link anchors. */
async function checkWithAstro(): Promise<void> {
  let satteri: typeof import('@astrojs/markdown-satteri');
  try {
    satteri = await import('@astrojs/markdown-satteri');
  } catch {
    console.log('\n(@astrojs/markdown-satteri not installed: heading ids not compared with Astro)');
    return;
  }
  const renderer = await satteri.createSatteriMarkdownProcessor({ syntaxHighlight: false });
  const ids = new Map<string, Set<string>>();
  const mismatches: string[] = [];
  for (const page of pages) {
    const { metadata, code } = await renderer.render(page.body);
    const astro = metadata.headings.map((h) => h.slug);
    const ours = siteIndex.outline(page.slug)?.site ?? [];
    if (astro.join('\n') !== ours.join('\n'))
      mismatches.push(
        `${page.slug}: astro ${JSON.stringify(astro.filter((x) => !ours.includes(x)).slice(0, 3))} ours ${JSON.stringify(ours.filter((x) => !astro.includes(x)).slice(0, 3))}`,
      );
    const html = [...code.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
    ids.set(page.slug, new Set([...astro, ...html, '_top']));
  }
  console.log(`\nHeading ids vs Astro (Sätteri): ${pages.length - mismatches.length} of ${pages.length} pages identical`);
  for (const m of mismatches.slice(0, limit)) console.log(`  ${m}`);
  let checked = 0;
  const missing: string[] = [];
  const parser = unified().use(remarkParse);
  for (const page of pages) {
    const urls: string[] = [];
    const walk = (n: Nodes): void => {
      if (n.type === 'link' || n.type === 'definition') urls.push(n.url);
      if (n.type === 'html')
        for (const t of tokenizeHtml(n.value)) if (t.type === 'start' && t.name === 'a') urls.push(t.attributes.find((a) => a.name === 'href')?.value ?? '');
      if ('children' in n) for (const c of n.children) walk(c);
    };
    walk(parser.parse(page.body));
    for (const url of urls) {
      const m = /^(?:\/([^?#]*?)\/?)?(?:\?[^#]*)?#(.+)$/.exec(url);
      if (!m || (m[1] === undefined && !url.startsWith('#'))) continue;
      const target = m[1] === undefined ? page.slug : decodeURIComponent(m[1]);
      const set = ids.get(target);
      if (!set) continue;
      checked++;
      if (!set.has(decodeURIComponent(m[2]!))) missing.push(`${page.slug} → ${url}`);
    }
  }
  console.log(
    `Internal links with #anchor in the output: ${checked}; anchor present on the rendered target: ${checked - missing.length} (the rest were reported as broken)`,
  );
  for (const m of missing.slice(0, limit)) console.log(`  ${m}`);
}

await checkWithAstro();
process.exitCode = exceptions > 0 ? 1 : 0;
