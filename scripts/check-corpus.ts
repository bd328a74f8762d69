/**
 * Realism check for the transform step (not a test): `npm exec -- node scripts/check-corpus.ts [dir]`.
 * Runs transformSource over every top-level folder of a corpus (default ../shared/corpus), one source per
 * folder with docs path `.`, and prints pages, diagnostics by kind, time taken and any exception.
 * CHECK_CORPUS_SHOW=n prints n diagnostics of each kind (default 5).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { transformSource } from '../functions/core/transform/transformSource.ts';
import type { Diagnostic, FetchedSource, SourceFile } from '../functions/core/types.ts';

function markdownFiles(root: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(md|markdown)$/i.test(name)) out.push({ path: relative(root, p).split(sep).join('/'), content: readFileSync(p) });
    }
  };
  walk(root);
  return out;
}

const dir = resolve(process.argv[2] ?? '../shared/corpus');
/** How many diagnostics of each kind to print (env CHECK_CORPUS_SHOW, default 5). */
const limit = Number(process.env['CHECK_CORPUS_SHOW'] ?? 5);
const folders = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()).sort();
const byKind = new Map<string, number>();
const samples = new Map<string, Diagnostic[]>();
let pages = 0;
let files = 0;
let exceptions = 0;
let elapsed = 0;
for (const folder of folders) {
  const id = folder.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const fetched: FetchedSource = {
    source: { id, title: folder, paths: ['.'] }, sha: 'corpus', ref: 'corpus', files: markdownFiles(join(dir, folder)),
  };
  files += fetched.files.length;
  const start = performance.now();
  try {
    const result = transformSource(fetched);
    const ms = performance.now() - start;
    elapsed += ms;
    pages += result.pages.length;
    for (const d of result.diagnostics) {
      byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
      const list = samples.get(d.kind) ?? [];
      list.push(d);
      samples.set(d.kind, list);
    }
    console.log(`${folder.padEnd(42)} ${String(fetched.files.length).padStart(4)} files ${String(result.pages.length).padStart(4)} pages ${String(result.diagnostics.length).padStart(4)} diagnostics ${ms.toFixed(0).padStart(6)} ms`);
  } catch (error) {
    exceptions++;
    console.log(`${folder}: EXCEPTION ${error instanceof Error ? error.stack : String(error)}`);
  }
}
console.log(`\nTotal: ${files} files → ${pages} pages in ${(elapsed / 1000).toFixed(2)} s (first run includes module warm-up); exceptions: ${exceptions}`);
console.log('Diagnostics by kind:', Object.fromEntries([...byKind].sort()));
for (const [kind, list] of [...samples].sort()) {
  console.log(`\n${kind} — first ${Math.min(limit, list.length)} of ${list.length}:`);
  for (const d of list.slice(0, limit)) console.log(`  ${d.source}/${d.file}${d.line ? `:${d.line}` : ''} ${d.message}`);
}
process.exitCode = exceptions > 0 ? 1 : 0;
