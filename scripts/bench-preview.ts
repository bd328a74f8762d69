/**
 * `npm run bench:preview -- [--pages 500 | --folder DIR] [--edits 5]`: how long an author waits after a
 * save. Starts the real preview (functions/preview/startPreview.ts) on a copy of DIR (or one synthetic
 * component of N pages, as bench:build writes them), then saves a one-page edit several times and
 * prints, per edit and as medians: the rebuild time and save → new text served over HTTP.
 * BENCH_VERBOSE=1 prints the pipeline's lines too.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPreview } from '../functions/preview/startPreview.ts';
import { syntheticSources } from './bench-build/syntheticSources.ts';

const { values } = parseArgs({ options: { pages: { type: 'string' }, folder: { type: 'string' }, edits: { type: 'string' } } });
const pages = Number(values.pages ?? 500);
const edits = Number(values.edits ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'bench-preview-'));
const folder = join(dir, 'docs');
let files: string[];
if (values.folder) {
  cpSync(values.folder, folder, { recursive: true });
  files = readdirSync(folder, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'));
} else {
  // One component of `pages` pages: syntheticSources spreads pages over 20 components.
  const [one] = syntheticSources(pages * 20);
  files = one!.files.map((f) => f.path);
  for (const f of one!.files) {
    mkdirSync(dirname(join(folder, f.path)), { recursive: true });
    writeFileSync(join(folder, f.path), f.content);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const rebuilds: number[] = [];
const verbose = process.env.BENCH_VERBOSE === '1';
const preview = await startPreview({
  folder,
  port: 0,
  workDir: join(dir, 'work'),
  verbose,
  log: (line) => {
    const m = /^Rebuilt in (\d+) ms/.exec(line);
    if (m) rebuilds.push(Number(m[1]));
    if (verbose) console.log(line);
  },
});
try {
  const started = performance.now();
  await preview.firstBuild;
  console.log(`${files.length} pages; first build ${Math.round(performance.now() - started)} ms`);
  const served: number[] = [];
  const target = files.find((f) => /(^|\/)(readme|index)\.md$/i.test(f)) ?? files[0]!;
  const pageUrl = `${preview.pageUrl}${target
    .replace(/(^|\/)(readme|index)\.md$/i, '')
    .replace(/^docs\//, '')
    .replace(/\.md$/, '')
    .toLowerCase()}`;
  for (let i = 1; i <= edits; i++) {
    const marker = `bench-edit-${i}-${Date.now()}`;
    const before = rebuilds.length;
    const saved = performance.now();
    writeFileSync(join(folder, target), `${readFileSync(join(folder, target), 'utf8')}\n\n${marker}\n`);
    for (;;) {
      const body = await fetch(pageUrl).then(
        (r) => r.text(),
        () => '',
      );
      if (body.includes(marker)) break;
      if (performance.now() - saved > 60_000) throw new Error(`edit ${i} not served after 60 s at ${pageUrl}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    served.push(performance.now() - saved);
    // The new text is served once the release switches; the report line follows just after.
    while (rebuilds.length === before) await new Promise((r) => setTimeout(r, 10));
    console.log(`edit ${i}: rebuilt in ${rebuilds.at(-1)} ms; save → served ${Math.round(served.at(-1)!)} ms`);
  }
  console.log(
    `median of ${edits}: rebuild ${median(rebuilds.slice(1))} ms; save → new text served ${Math.round(median(served))} ms (${files.length} pages in the source)`,
  );
} finally {
  await preview.close();
  rmSync(dir, { recursive: true, force: true });
}
