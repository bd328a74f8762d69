/**
 * Published pull request previews (issue 10), under the data dir:
 *   previews/<key>               symlink -> .builds/<key>.<build id>, replaced atomically with rename()
 *   previews/.builds/<key>.<id>/ site/ (the built site) and preview.json (the PR, head commit, when built)
 * `<key>` is `<first source id>-pr-<number>`. The server resolves the link on every request, so a
 * preview being published or removed is never served half-written. Nothing here touches the live site.
 */
import { mkdir, readdir, readFile, readlink, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { PreviewTrigger, PullRequestInfo } from '../types.ts';
import { syncDir, tempName } from './releases.ts';

/** What preview.json says: what the banner shows, and when the preview was last built (retention). */
export interface PreviewInfo {
  key: string;
  url: string;
  pr: Pick<PullRequestInfo, 'repo' | 'number' | 'title' | 'url' | 'author' | 'headSha' | 'headRef'>;
  builtAt: string;
  build: string;
}

const KEY = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const BUILDS = '.builds';

export const previewsDir = (dataDir: string): string => join(dataDir, 'previews');

/** The preview key of a trigger: `<first source id>-pr-<number>`, a folder name and a host name label. */
export function previewKey(trigger: Pick<PreviewTrigger, 'sources' | 'pr'>): string {
  if (trigger.sources.length === 0) throw new Error(`The preview of ${trigger.pr.repo}#${trigger.pr.number} names no source.`);
  const key = `${trigger.sources[0]}-pr-${trigger.pr.number}`;
  if (!KEY.test(key)) throw new Error(`Preview key "${key}" is not a host name label (a-z, 0-9, "-", at most 63 characters).`);
  return key;
}

/** Whether `key` can name a preview (anything else is never looked up on disk). */
export const isPreviewKey = (key: string): boolean => KEY.test(key);

/**
 * Publish a finished build (`builtDir`, moved; same filesystem as DATA_DIR) as the preview `info.key`:
 * a new folder, then one rename() of the link; the previous build of that preview is deleted after.
 */
export async function publishPreview(dataDir: string, builtDir: string, info: PreviewInfo): Promise<void> {
  const dir = previewsDir(dataDir);
  const name = `${info.key}.${info.build}`;
  const folder = join(dir, BUILDS, name);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  await rename(builtDir, join(folder, 'site'));
  await writeFile(join(folder, 'preview.json'), JSON.stringify(info, null, 2));
  await syncDir(folder);
  const link = join(dir, tempName('link', info.key));
  await symlink(join(BUILDS, name), link);
  await rename(link, join(dir, info.key));
  await syncDir(dir);
  await dropBuilds(dir, info.key, name);
}

/** Delete the builds of `key` except `keep` (renamed away first, so a half-deleted folder is never a preview). */
async function dropBuilds(dir: string, key: string, keep?: string): Promise<void> {
  for (const name of await readdir(join(dir, BUILDS)).catch(() => [] as string[])) {
    if (name === keep || !name.startsWith(`${key}.`)) continue;
    const doomed = join(dir, BUILDS, tempName('deleting', name));
    await rename(join(dir, BUILDS, name), doomed).catch(() => undefined);
    await rm(doomed, { recursive: true, force: true });
  }
  for (const name of await readdir(join(dir, BUILDS)).catch(() => [] as string[])) {
    if (name.startsWith('.deleting-')) await rm(join(dir, BUILDS, name), { recursive: true, force: true });
  }
}

/** Remove a preview (its PR closed, or it expired). True when there was one. */
export async function removePreview(dataDir: string, key: string): Promise<boolean> {
  if (!isPreviewKey(key)) return false;
  const dir = previewsDir(dataDir);
  const existed = await unlink(join(dir, key)).then(
    () => true,
    () => false,
  );
  await dropBuilds(dir, key);
  return existed;
}

/** The published preview `key`: its site folder and preview.json, or undefined (never built, closed, expired). */
export async function readPreview(dataDir: string, key: string): Promise<{ siteDir: string; info: PreviewInfo } | undefined> {
  if (!isPreviewKey(key)) return undefined;
  const target = await readlink(join(previewsDir(dataDir), key)).catch(() => undefined);
  if (target === undefined) return undefined;
  const folder = join(previewsDir(dataDir), BUILDS, basename(target));
  try {
    const info = JSON.parse(await readFile(join(folder, 'preview.json'), 'utf8')) as PreviewInfo;
    return { siteDir: join(folder, 'site'), info };
  } catch {
    return undefined;
  }
}

/** Every published preview. */
export async function listPreviews(dataDir: string): Promise<PreviewInfo[]> {
  const out: PreviewInfo[] = [];
  for (const key of await readdir(previewsDir(dataDir)).catch(() => [] as string[])) {
    const found = key.startsWith('.') ? undefined : await readPreview(dataDir, key);
    if (found) out.push(found.info);
  }
  return out;
}

/** Remove the previews not built for `retentionMs` (PREVIEW_RETENTION; 0 keeps them). Returns the keys removed. */
export async function expirePreviews(dataDir: string, retentionMs: number, now: number = Date.now()): Promise<string[]> {
  if (retentionMs <= 0) return [];
  const removed: string[] = [];
  for (const info of await listPreviews(dataDir)) {
    const builtAt = Date.parse(info.builtAt);
    if (Number.isFinite(builtAt) && now - builtAt <= retentionMs) continue;
    if (await removePreview(dataDir, info.key)) removed.push(info.key);
  }
  return removed;
}
