/**
 * The preview's builds: the production pipeline (runBuild with the transform worker and its cache, the
 * warm site builder that renders only changed pages, the atomic deploy) into the preview's own data
 * folder, with the preview's fetch step. The first build takes every source; later ones fetch only the
 * author's folder. Saves during a build are coalesced into one more build.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../core/config/loadConfig.ts';
import { createBuildSteps } from '../core/pipeline/createBuildSteps.ts';
import { runAttempt } from '../core/pipeline/runAttempt.ts';
import { type BuildSteps, runBuild } from '../core/pipeline/runBuild.ts';
import type { BuildRecord, FetchedSource, SourceConfig } from '../core/types.ts';
import { createPreviewFetch } from './createPreviewFetch.ts';

export interface PreviewBuilder {
  /** Ask for a build; resolves when a build that started after this call has finished. */
  rebuild(): Promise<BuildRecord>;
  close(): Promise<void>;
}

export interface PreviewBuilderOptions {
  /** Settings for the steps; its dataDir is the preview's own folder, never the live one. */
  config: Config;
  sources: SourceConfig[];
  folderSource: SourceConfig;
  liveDataDir?: string;
  /** The other sources as a deployed site shows them (`--site`). */
  site?: { url: string; fetched: ReadonlyMap<string, FetchedSource> };
  /** The pipeline's progress lines (phases, the site builder's output). */
  log: (line: string) => void;
  /** Told after every build, with its wall time. */
  onBuilt: (build: BuildRecord, ms: number) => void | Promise<void>;
}

export function createPreviewBuilder(options: PreviewBuilderOptions): PreviewBuilder {
  const { config, sources, folderSource, log } = options;
  const steps: BuildSteps = { ...createBuildSteps(config, { log }), fetchSources: createPreviewFetch(options.liveDataDir, options.site) };
  // Never GitHub: versioned sources get the live site's versions (DATA_DIR/versions.json, copied), as listed there.
  delete steps.listRefs;
  let n = 0;
  let running: Promise<BuildRecord> | undefined;
  let queued: Promise<BuildRecord> | undefined;

  async function once(): Promise<BuildRecord> {
    const first = n === 0;
    if (first && options.liveDataDir) {
      await mkdir(config.dataDir, { recursive: true });
      await copyFile(join(options.liveDataDir, 'versions.json'), join(config.dataDir, 'versions.json')).catch(() => undefined);
    }
    const build: BuildRecord = {
      id: `preview-${++n}`,
      state: 'running',
      trigger: { kind: 'manual', full: false, ...(first ? {} : { sources: [folderSource.id] }), requestedBy: 'preview' },
      createdAt: new Date().toISOString(),
      attempts: 1,
      phases: {},
      sources: [],
    };
    const started = performance.now();
    const { ok, build: done } = await runAttempt(build, (b, signal) => runBuild(b, { sources, dataDir: config.dataDir, steps, signal, log }), {
      timeoutMs: 15 * 60_000,
      now: Date.now,
    });
    if (!ok) done.state = 'failed';
    await options.onBuilt(done, performance.now() - started);
    return done;
  }

  function rebuild(): Promise<BuildRecord> {
    if (!running) {
      running = once().finally(() => (running = undefined));
      return running;
    }
    // One build at a time; every save made during it is carried by the one next build.
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return rebuild();
      });
    return queued;
  }

  return {
    rebuild,
    close: async () => {
      await running?.catch(() => undefined);
      await steps.close?.();
    },
  };
}
