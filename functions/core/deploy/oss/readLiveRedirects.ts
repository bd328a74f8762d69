/**
 * The redirects table of the release the bucket serves (its `_redirects.json`, read through the
 * current pointer, the release manifest and the content store). A builder on a fresh DATA_DIR (FC
 * recycled the instance) seeds its table from it, so earlier renames' redirects stay in the next release.
 */
import { RELEASE_REDIRECTS, type ReleaseRedirects } from '../../redirects/redirectStore.ts';
import type { OssObjects } from './createOssObjects.ts';
import { objectKey } from './ossLayout.ts';
import { readManifest, readPointer } from './ossState.ts';

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The live release's table, or undefined when nothing is live or the release has none. */
export async function readLiveRedirects(oss: OssObjects): Promise<ReleaseRedirects | undefined> {
  const pointer = await readPointer(oss);
  const entry = pointer && (await readManifest(oss, pointer.release))?.files[RELEASE_REDIRECTS];
  const data = entry && (await oss.get(objectKey(entry.hash)));
  if (!data) return undefined;
  try {
    const table = JSON.parse(data.toString('utf8')) as Partial<ReleaseRedirects>;
    return isTable(table.redirects) ? { redirects: table.redirects, gone: isTable(table.gone) ? table.gone : {} } : undefined;
  } catch {
    return undefined;
  }
}
