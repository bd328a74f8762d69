/**
 * Which sources a preview builds: the author's folder standing in for one source (`--as`) or as a
 * source of its own, and — when the live site's DATA_DIR is given — every other source as the live
 * site last had it. Without DATA_DIR the folder is previewed alone.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError } from '../core/config/ConfigError.ts';
import type { SourceConfig } from '../core/types.ts';

export interface PreviewSources {
  /** Everything the preview builds; the folder's source is one of them. */
  sources: SourceConfig[];
  /** The source read from the author's folder. */
  folderSource: SourceConfig;
}

/** A URL-safe id from a folder name (`My Docs` → `my-docs`). */
function idFromFolder(folder: string): string {
  const slug = basename(folder)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[a-z0-9]/.test(slug) ? slug : 'preview';
}

export function previewSources(
  options: { folder: string; as?: string; withOthers: boolean; listedBy?: string },
  configured: readonly SourceConfig[],
): PreviewSources {
  let folderSource: SourceConfig;
  if (options.as !== undefined) {
    const live = configured.find((s) => s.id === options.as);
    if (!live)
      throw new ConfigError('preview command line', [
        `--as: no source "${options.as}" in ${options.listedBy ?? 'the sources file'}; pick one of: ${configured.map((s) => s.id).join(', ')}`,
      ]);
    // The folder is the repository (when it holds the source's docs folders) or the docs folder itself.
    const paths = live.paths.every((p) => p === '.' || existsSync(join(options.folder, p))) ? live.paths : ['.'];
    // The folder stands in for the source's latest version; its old versions are not previewed.
    const { repo: _repo, ref: _ref, owners: _owners, versions: _versions, ...rest } = live;
    folderSource = { ...rest, paths, localPath: options.folder };
  } else {
    const id = idFromFolder(options.folder);
    folderSource = { id, title: basename(options.folder), paths: ['.'], localPath: options.folder };
    if (configured.some((s) => s.id === id)) folderSource.id = `${id}-preview`;
  }
  if (!options.withOthers) return { sources: [folderSource], folderSource };
  // Keep the sources file's order (the sidebar's component switcher follows it).
  const sources = configured.map((s) => (s.id === folderSource.id ? folderSource : s));
  if (!sources.includes(folderSource)) sources.push(folderSource);
  return { sources, folderSource };
}
