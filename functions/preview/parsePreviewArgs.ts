/**
 * The command line of `npm run preview`, checked once: a clear message naming the option and the fix
 * for every mistake (ConfigError), so the CLI stays a thin adapter.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config/ConfigError.ts';

export interface PreviewOptions {
  /** The author's docs folder (absolute). */
  folder: string;
  /** The source the folder stands in for; undefined = a source of its own. */
  as?: string;
  /** The sources file (absolute); undefined = SOURCES_FILE or the default. */
  sourcesFile?: string;
  /** The live site's DATA_DIR, read only (snapshots of the other sources, its page list). */
  dataDir?: string;
  /** A deployed docs-sync site (its URL) whose published pages stand in for the other sources. */
  site?: string;
  port: number;
  /** The preview's own build folder; undefined = one per folder under the system's temp folder. */
  workDir?: string;
  /** Print the pipeline's progress lines too. */
  verbose?: boolean;
}

export const PREVIEW_USAGE =
  'npm run preview -- <folder> [--as <source id>] [--sources <sources file>] [--data-dir DIR | --site URL] [--port N] [--work-dir DIR] [--verbose]';

/** Parse `argv` (without node and the script); `env` gives DATA_DIR and SOURCES_FILE defaults. */
export function parsePreviewArgs(argv: string[], env: Record<string, string | undefined> = {}, cwd = process.cwd()): PreviewOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new ConfigError('preview command line', [`${(err as Error).message}; usage: ${PREVIEW_USAGE}`]);
  }
  const { values, positionals } = parsed;
  const issues: string[] = [];
  if (positionals.length !== 1) issues.push(`<folder>: give exactly one docs folder to preview, e.g. "npm run preview -- ./docs" (got ${positionals.length})`);
  const folder = resolve(cwd, positionals[0] ?? '.');
  if (positionals.length === 1 && !(existsSync(folder) && statSync(folder).isDirectory()))
    issues.push(`<folder>: ${folder} is not a folder; give the folder holding your markdown`);
  const site = values.site;
  if (site !== undefined && !(URL.canParse(site) && /^https?:$/.test(new URL(site).protocol)))
    issues.push(`--site: "${site}" is not an http(s) URL; give the docs site's address, e.g. --site https://docs.example.com`);
  if (site !== undefined && values['data-dir'] !== undefined) issues.push('--site and --data-dir: give one of them (where the other sources come from)');
  const port = Number(values.port ?? '4321');
  if (!Number.isInteger(port) || port < 0 || port > 65535) issues.push(`--port: must be a port number 0–65535 (0: any free port), got "${values.port}"`);
  const dataDir = values['data-dir'] ?? (site === undefined ? env.DATA_DIR : undefined);
  if (dataDir !== undefined && !existsSync(resolve(cwd, dataDir)))
    issues.push(`--data-dir: ${resolve(cwd, dataDir)} does not exist; give the live site's DATA_DIR (it holds snapshots/)`);
  const sourcesFile = values.sources ?? env.SOURCES_FILE;
  if (issues.length) throw new ConfigError('preview command line', issues);
  return {
    folder,
    port,
    ...(values.as !== undefined ? { as: values.as } : {}),
    ...(sourcesFile !== undefined ? { sourcesFile: resolve(cwd, sourcesFile) } : {}),
    ...(dataDir !== undefined ? { dataDir: resolve(cwd, dataDir) } : {}),
    ...(site !== undefined ? { site } : {}),
    ...(values['work-dir'] !== undefined ? { workDir: resolve(cwd, values['work-dir']) } : {}),
    ...(values.verbose ? { verbose: true } : {}),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      as: { type: 'string' },
      sources: { type: 'string' },
      'data-dir': { type: 'string' },
      site: { type: 'string' },
      port: { type: 'string' },
      'work-dir': { type: 'string' },
      verbose: { type: 'boolean' },
    },
  });
}
