/**
 * Worker thread of createTransformRunner: transforms every source of a build off the main thread, so
 * a document that takes the markdown parser seconds never delays the server (webhook acks, the site).
 * Keeps one transform cache for its lifetime. Messages: see TransformJob / WorkerMessage.
 */
import { parentPort } from 'node:worker_threads';
import type { FetchedSource } from '../types.ts';
import { createTransformCache } from './createTransformCache.ts';
import { fenced } from './limitNesting.ts';
import { buildSiteIndex, type SiteIndexOptions } from './siteIndex.ts';
import type { TransformResult } from './transformSource.ts';

export interface TransformJob {
  id: number;
  fetched: FetchedSource[];
  index: SiteIndexOptions;
  /** Files that took too long before (`<source id>\n<path>`): shown as text, with a diagnostic. */
  tooSlow: string[];
  limitSeconds: number;
}

export type WorkerMessage =
  | { id: number; type: 'file'; source: string; path: string }
  | { id: number; type: 'done'; results: Array<[string, TransformResult]> }
  | { id: number; type: 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('transformWorker.ts runs as a worker thread (see createTransformRunner.ts).');
const cache = createTransformCache();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

port.on('message', (job: TransformJob) => {
  try {
    const slow = new Set(job.tooSlow);
    const fetched = job.fetched.map((f) =>
      f.files.some((file) => slow.has(`${f.source.id}\n${file.path}`))
        ? {
            ...f,
            files: f.files.map((file) =>
              slow.has(`${f.source.id}\n${file.path}`) ? { ...file, content: encoder.encode(fenced(decoder.decode(file.content))) } : file,
            ),
          }
        : f,
    );
    const siteIndex = buildSiteIndex(fetched, job.index);
    const results = fetched.map((f): [string, TransformResult] => {
      const id = f.source.id;
      const result = cache.transform(f, {
        siteIndex,
        onFile: (path) => port.postMessage({ id: job.id, type: 'file', source: id, path } satisfies WorkerMessage),
      });
      for (const file of f.files) {
        if (!slow.has(`${id}\n${file.path}`)) continue;
        result.diagnostics.push({
          source: id,
          file: file.path,
          kind: 'other',
          message: `Transforming this file took more than ${job.limitSeconds} s (the markdown parser is slow on some constructs, e.g. thousands of unclosed brackets or emphasis markers): the page shows its text as it is, in a code block. Simplify the file.`,
        });
      }
      return [id, result];
    });
    port.postMessage({ id: job.id, type: 'done', results } satisfies WorkerMessage);
  } catch (error) {
    port.postMessage({ id: job.id, type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerMessage);
  }
});
