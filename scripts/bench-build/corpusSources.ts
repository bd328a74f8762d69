/**
 * A docs corpus laid out as `<owner>__<repo>/<path as in the repo>` (the Serverless Devs corpus), as
 * fetched sources: one source per top-level folder. With a manifest.json (owner, repo, ref, docsPaths
 * per folder) a folder is that GitHub repository with its docs folders and its id is the repository
 * name; otherwise a local source with docs path `.` (the same reading as scripts/check-corpus.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FetchedSource, SourceConfig, SourceFile } from '../../functions/core/types.ts';

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

export function corpusSources(dir: string): FetchedSource[] {
  type Manifest = Array<{ owner: string; repo: string; ref: string; docsPaths: string[] }>;
  const manifest: Manifest = existsSync(join(dir, 'manifest.json')) ? JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) : [];
  const fetched: FetchedSource[] = [];
  for (const folder of readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .sort()) {
    const entry = manifest.find((m) => `${m.owner}__${m.repo}` === folder);
    const id = (entry?.repo ?? folder).toLowerCase().replace(/[^a-z0-9-]+/g, '-');
    const folders = entry?.docsPaths.filter((p) => !/\.md$/i.test(p)) ?? [];
    const source: SourceConfig = { id, title: entry?.repo ?? folder, paths: folders.length ? folders : ['.'] };
    if (entry) source.repo = { owner: entry.owner, name: entry.repo };
    fetched.push({ source, sha: 'corpus', ref: entry?.ref.split(/[\s,]/)[0] ?? 'corpus', files: markdownFiles(join(dir, folder)) });
  }
  if (fetched.length === 0) throw new Error(`${dir} has no folders: expected <owner>__<repo>/… folders of markdown files.`);
  return fetched;
}
