/**
 * A preview build (renderSite with `commit: false`) renders its pages through the same render dir as
 * the live builds (the site bundle reads page files from it when it renders). It writes the page files
 * of the pages it renders and, with `astro build`, the page list; this puts back exactly what the live
 * build left there afterwards, so the next live build finds the render dir as it was.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pageFileName } from './pageInputs.ts';

/** Remember the page files of `slugs` and the page list; the function returned puts them back (or removes them if there were none). */
export async function keepPageFiles(renderDir: string, slugs: Iterable<string>): Promise<() => Promise<void>> {
  const files = [join(renderDir, 'pages.json'), ...[...new Set(slugs)].map((slug) => join(renderDir, 'p', pageFileName(slug)))];
  const kept = await Promise.all(files.map(async (file) => ({ file, bytes: await readFile(file).catch(() => undefined) })));
  return async () => {
    for (const { file, bytes } of kept) {
      if (bytes === undefined) await rm(file, { force: true });
      else {
        await writeFile(`${file}.tmp`, bytes);
        await rename(`${file}.tmp`, file);
      }
    }
  };
}
