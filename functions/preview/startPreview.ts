/**
 * An author's live preview: build the site with a local folder standing in for one source, serve it,
 * and on every save rebuild (only what changed, through the production pipeline), print the build
 * report's diagnostics and reload the open pages. Writes only to its own work folder; the live
 * DATA_DIR is only read (snapshots, page list), or a deployed site's published pages (`--site`).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { DEFAULT_SOURCES_FILE, loadConfig } from '../core/config/loadConfig.ts';
import { loadSources } from '../core/config/loadSources.ts';
import { loadPageIndex } from '../core/pipeline/pageIndex.ts';
import type { BuildRecord, Diagnostic, SourceConfig } from '../core/types.ts';
import { toNodeListener } from '../local/toNodeListener.ts';
import { createPreviewBuilder } from './createPreviewBuilder.ts';
import { createPreviewHandler } from './createPreviewHandler.ts';
import { createReloadChannel } from './createReloadChannel.ts';
import { formatPreviewReport } from './formatPreviewReport.ts';
import { pageMoves } from './pageMoves.ts';
import type { PreviewOptions } from './parsePreviewArgs.ts';
import { previewSources } from './previewSources.ts';
import { readSiteSnapshots, type SiteSnapshots } from './readSiteSnapshots.ts';
import { watchFolder } from './watchFolder.ts';

export interface PreviewRuntime {
  /** The server, e.g. `http://localhost:4321`. */
  url: string;
  /** The previewed source's home page. */
  pageUrl: string;
  /** The preview's own work folder. */
  workDir: string;
  firstBuild: Promise<BuildRecord>;
  close(): Promise<void>;
}

/** A work folder per previewed folder and source, kept between runs so the next start is warm. */
function defaultWorkDir(options: PreviewOptions): string {
  const key = createHash('sha256')
    .update(JSON.stringify([options.folder, options.as ?? '', options.sourcesFile ?? '', options.dataDir ?? '', options.site ?? '']))
    .digest('hex')
    .slice(0, 12);
  return join(tmpdir(), 'docs-sync-preview', key);
}

/** The sources a preview builds from: the sources file, or with `--site` the site's own (the file naming only the `--as` source's settings). */
function configuredSources(options: PreviewOptions, site: SiteSnapshots | undefined): SourceConfig[] {
  // A preview notifies nobody: owners (and their robots' secrets) are left out.
  if (!site) return options.as !== undefined || options.dataDir !== undefined ? loadSources(options.sourcesFile ?? DEFAULT_SOURCES_FILE, null) : [];
  const own = options.as !== undefined && options.sourcesFile ? loadSources(options.sourcesFile, null).find((s) => s.id === options.as) : undefined;
  const sources = site.sources.map((s) => (s.id === own?.id ? own : s));
  return own && !sources.includes(own) ? [...sources, own] : sources;
}

export async function startPreview(options: PreviewOptions & { log?: (line: string) => void; fetch?: typeof globalThis.fetch }): Promise<PreviewRuntime> {
  const log = options.log ?? ((line: string) => console.log(line));
  const workDir = resolve(options.workDir ?? defaultWorkDir(options));
  if (options.dataDir && !relative(options.dataDir, workDir).startsWith('..')) {
    throw new Error(
      `The preview's work folder ${workDir} is inside the live DATA_DIR ${options.dataDir}; the preview never writes there. Pick another work folder.`,
    );
  }
  mkdirSync(workDir, { recursive: true });
  const site = options.site ? await readSiteSnapshots(options.site, { log, ...(options.fetch ? { fetch: options.fetch } : {}) }) : undefined;
  const { sources, folderSource } = previewSources(
    {
      folder: options.folder,
      ...(options.as ? { as: options.as } : {}),
      withOthers: options.dataDir !== undefined || site !== undefined,
      ...(site && options.site ? { listedBy: `${options.site.replace(/\/+$/, '')}/llms.txt` } : {}),
    },
    configuredSources(options, site),
  );
  const live = options.dataDir ? await loadPageIndex(options.dataDir) : site?.pages;

  const channel = createReloadChannel();
  let previous: Diagnostic[] | undefined;
  const server = createServer(toNodeListener(createPreviewHandler(workDir, channel), log));
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(options.port, '127.0.0.1', ok));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({ cwd: workDir, env: { DATA_DIR: workDir, PUBLIC_URL: url } });

  const builder = createPreviewBuilder({
    config,
    sources,
    folderSource,
    log: options.verbose ? log : () => {},
    ...(options.dataDir ? { liveDataDir: options.dataDir } : {}),
    ...(site && options.site ? { site: { url: options.site, fetched: site.fetched } } : {}),
    onBuilt: async (build, ms) => {
      const moves = pageMoves(live, await loadPageIndex(workDir), folderSource.id);
      for (const line of formatPreviewReport(build, folderSource.id, ms, moves, previous)) log(line);
      if (build.state === 'failed') return;
      previous = build.sources.find((s) => s.id === folderSource.id)?.diagnostics ?? [];
      channel.reload();
    },
  });
  const watcher = watchFolder(options.folder, (paths) => {
    log(`Changed: ${paths.filter(Boolean).slice(0, 5).join(', ') || options.folder}; rebuilding…`);
    builder.rebuild().catch((err: Error) => log(`Rebuild failed: ${err.message}`));
  });
  const firstBuild = builder.rebuild();
  firstBuild.catch((err: Error) => log(`The first build failed: ${err.message}`));
  return {
    url,
    pageUrl: `${url}/${folderSource.id}/`,
    workDir,
    firstBuild,
    close: async () => {
      watcher.close();
      channel.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await builder.close();
    },
  };
}
