import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SourceConfig, SourceFile } from '../types.ts';
import type { SkippedFile } from './docFiles.ts';
import type { Validator, ValidatorStore } from './gitHubCall.ts';
import { gitBlobSha } from './gitHubReader.ts';
import { fileSafeId } from '../versions/expandVersions.ts';

/** What the cache remembers of the last fetch of one GitHub source: no contents, only blob shas. */
export interface SourceManifest {
  sha: string;
  ref: string;
  files: Array<{ path: string; blob: string; lastCommit?: SourceFile['lastCommit'] }>;
  skipped: SkippedFile[];
}

/**
 * The fetch step's persistent memory (e.g. under DATA_DIR/cache/github): file contents by git blob
 * sha (`blobs/ab/cdef…`, so a file is never downloaded twice), HTTP validators per URL
 * (`validators.json`, for conditional requests) and a manifest per source (`sources/<id>.json`).
 * Everything is checked on the way in and out and written atomically: a damaged entry is a miss.
 */
export interface FetchCache extends ValidatorStore {
  readBlob(sha: string): Promise<Buffer | undefined>;
  writeBlob(sha: string, content: Uint8Array): Promise<void>;
  manifest(source: SourceConfig): Promise<SourceManifest | undefined>;
  setManifest(source: SourceConfig, manifest: SourceManifest): Promise<void>;
  /** Write the validators and drop blobs no manifest uses any more (older than an hour). */
  save(): Promise<void>;
}

const SHA = /^[0-9a-f]{40}$/;
/** A source id as a file name (an old version's `fc/v1.2` is `fc@v1.2`, fileSafeId). */
const ID = /^[a-z0-9][a-z0-9@._-]*$/;
const keyOf = (s: SourceConfig): string => JSON.stringify([s.repo ? `${s.repo.owner}/${s.repo.name}`.toLowerCase() : s.localPath, s.ref ?? null, s.paths]);

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** A cache in `dir`, or only in memory (for one fetch) when `dir` is undefined. */
export async function openFetchCache(dir?: string): Promise<FetchCache> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { key: string; manifest: SourceManifest }>();
  let validators: Record<string, Validator> = {};
  if (dir) {
    await mkdir(join(dir, 'sources'), { recursive: true });
    try {
      validators = JSON.parse(await readFile(join(dir, 'validators.json'), 'utf8')) as Record<string, Validator>;
    } catch {
      validators = {};
    }
  }
  const blobPath = (sha: string): string => join(dir!, 'blobs', sha.slice(0, 2), sha.slice(2));

  return {
    get: (key) => validators[key],
    set(key, value) {
      validators[key] = value;
    },

    async readBlob(sha) {
      if (!SHA.test(sha)) return undefined;
      if (!dir) return blobs.get(sha);
      const content = await readFile(blobPath(sha)).catch(() => undefined);
      if (content && gitBlobSha(content) === sha) return content;
      if (content) await rm(blobPath(sha), { force: true });
      return undefined;
    },

    async writeBlob(sha, content) {
      if (!SHA.test(sha) || gitBlobSha(content) !== sha) return;
      if (!dir) return void blobs.set(sha, Buffer.from(content));
      await mkdir(join(dir, 'blobs', sha.slice(0, 2)), { recursive: true });
      await writeAtomic(blobPath(sha), content);
    },

    async manifest(source) {
      const name = fileSafeId(source.id);
      if (!ID.test(name)) return undefined;
      let stored = manifests.get(source.id);
      if (!stored && dir) {
        stored = await readFile(join(dir, 'sources', `${name}.json`), 'utf8')
          .then((t) => JSON.parse(t) as { key: string; manifest: SourceManifest })
          .catch(() => undefined);
      }
      return stored && stored.key === keyOf(source) && Array.isArray(stored.manifest?.files) ? stored.manifest : undefined;
    },

    async setManifest(source, manifest) {
      const name = fileSafeId(source.id);
      if (!ID.test(name)) return;
      const stored = { key: keyOf(source), manifest };
      manifests.set(source.id, stored);
      if (dir) await writeAtomic(join(dir, 'sources', `${name}.json`), JSON.stringify(stored));
    },

    async save() {
      if (!dir) return;
      await writeAtomic(join(dir, 'validators.json'), JSON.stringify(validators));
      const used = new Set<string>();
      for (const name of await readdir(join(dir, 'sources')).catch(() => [])) {
        if (!name.endsWith('.json')) continue;
        const stored = await readFile(join(dir, 'sources', name), 'utf8')
          .then((t) => JSON.parse(t) as { manifest: SourceManifest })
          .catch(() => undefined);
        for (const f of stored?.manifest.files ?? []) used.add(f.blob);
      }
      const hourAgo = Date.now() - 3_600_000;
      for (const prefix of await readdir(join(dir, 'blobs')).catch(() => [])) {
        for (const rest of await readdir(join(dir, 'blobs', prefix)).catch(() => [])) {
          if (used.has(prefix + rest)) continue;
          const file = join(dir, 'blobs', prefix, rest);
          const info = await stat(file).catch(() => undefined);
          if (info && info.mtimeMs < hourAgo) await rm(file, { force: true });
        }
      }
    },
  };
}
