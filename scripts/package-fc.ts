/**
 * `npm run package:fc`: writes each function's code package into the folder s.yaml names in its
 * `code:` (dist/fc/webhook, dist/fc/builder), then zips them beside it (dist/fc/<name>.zip) and
 * prints the sizes. `s deploy` uploads those folders. Run it on Linux x86_64 (FC's platform): the
 * builder carries this machine's Node binary and native packages. `-- --no-zip` skips the zips.
 */
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSources } from '../functions/core/config/loadSources.ts';
import { bundleWebhook } from './fc/bundleWebhook.ts';
import { packageBuilder } from './fc/packageBuilder.ts';
import { readSYaml } from './fc/resolveSYaml.ts';
import { folderBytes, writeZip } from './fc/writeZip.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

export interface PackagedFunctions {
  webhookDir: string;
  builderDir: string;
  /** The source files esbuild put into the webhook bundle (when it was built). */
  webhookInputs?: string[];
}

/** The code folders s.yaml names, under `outRoot` (default: the repository). */
export function codeFolders(root = ROOT, outRoot = root): PackagedFunctions {
  const s = readSYaml(join(root, 's.yaml'), { env: {}, config: { AccountID: '0' } });
  const code = (name: string) => resolve(outRoot, String(s.resources[name]!.props.code));
  return { webhookDir: code('docs-sync-webhook'), builderDir: code('docs-sync-builder') };
}

export async function packageFunctions({
  root = ROOT,
  outRoot,
  sourcesFile = process.env.SOURCES_FILE?.trim() || 'site/sources.yaml',
  webhook = true,
  builder = true,
}: {
  root?: string;
  outRoot?: string;
  sourcesFile?: string;
  webhook?: boolean;
  builder?: boolean;
} = {}): Promise<PackagedFunctions> {
  const dirs = codeFolders(root, outRoot ?? root);
  const sources = resolve(root, sourcesFile);
  if (webhook) dirs.webhookInputs = (await bundleWebhook({ root, outDir: dirs.webhookDir, sourcesFile: sources })).inputs;
  if (builder) {
    const localFolders = loadSources(sources).flatMap((s) => (s.localPath ? [s.localPath] : []));
    packageBuilder({ root, outDir: dirs.builderDir, sourcesFile: sources, localFolders, nodeBinary: realpathSync(process.execPath) });
  }
  return dirs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const zip = !process.argv.includes('--no-zip');
  const dirs = await packageFunctions();
  for (const [name, dir] of [
    ['webhook', dirs.webhookDir],
    ['builder', dirs.builderDir],
  ] as const) {
    const zipped = zip ? ` · ${mb(writeZip(dir, `${dir}.zip`, name === 'builder' ? 1 : 9))} zipped (${dir}.zip)` : '';
    console.log(`${name}: ${dir} · ${mb(folderBytes(dir))} unzipped${zipped}`);
  }
  console.log(`Node for the builder: ${process.version} in node/bin/node (one copy); the webhook uses FC's Node.js 22 layer.`);
}
