/**
 * Where the redirects table lives: `DATA_DIR/redirects.json` (the full state, carried build to build)
 * and, in each release, `_redirects.json` (redirects and gone pages only, what servers read) plus an
 * HTML redirect page at every old URL, so static hosting (OSS) redirects too.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml } from '../http/escapeHtml.ts';
import { NOT_FOUND_SCRIPT, NOT_FOUND_SCRIPT_PATH } from './notFoundScript.ts';
import type { RedirectState } from './updateRedirects.ts';

/** The release's table, as servers read it. */
export const RELEASE_REDIRECTS = '_redirects.json';
export type ReleaseRedirects = Pick<RedirectState, 'redirects' | 'gone'>;

export async function loadRedirectState(dataDir: string): Promise<RedirectState | undefined> {
  try {
    const state = JSON.parse(await readFile(join(dataDir, 'redirects.json'), 'utf8')) as RedirectState;
    return state && typeof state.redirects === 'object' && typeof state.pages === 'object' ? { ...state, gone: state.gone ?? {} } : undefined;
  } catch {
    return undefined;
  }
}

export async function saveRedirectState(dataDir: string, state: RedirectState): Promise<void> {
  const file = join(dataDir, 'redirects.json');
  await writeFile(`${file}.tmp`, JSON.stringify(state));
  await rename(`${file}.tmp`, file);
}

/** A page that sends the browser on without script (the site's Content-Security-Policy forbids inline script). */
export function redirectPage(to: string): string {
  const href = escapeHtml(to);
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>Moved: ${href}</title>` +
    `<meta http-equiv="refresh" content="0; url=${href}"><link rel="canonical" href="${href}"><meta name="robots" content="noindex">` +
    `</head><body><p>This page has moved to <a href="${href}">${href}</a>.</p></body></html>\n`
  );
}

/** Replace a file (never written through: files in a build may be hard links into the builder's mirror). */
async function replaceFile(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

/**
 * Write the table, a redirect page per old URL (never over a file the build made) and the 404 page's
 * script (notFoundScript.ts, linked from the built 404.html) into a built site.
 */
export async function writeRedirects(outDir: string, state: RedirectState): Promise<number> {
  const table: ReleaseRedirects = { redirects: state.redirects, gone: state.gone };
  await replaceFile(join(outDir, RELEASE_REDIRECTS), JSON.stringify(table));
  await replaceFile(join(outDir, ...NOT_FOUND_SCRIPT_PATH.split('/').filter(Boolean)), NOT_FOUND_SCRIPT);
  const notFound = await readFile(join(outDir, '404.html'), 'utf8').catch(() => undefined);
  if (notFound !== undefined && !notFound.includes(NOT_FOUND_SCRIPT_PATH)) {
    const tag = `<script src="${NOT_FOUND_SCRIPT_PATH}" defer></script>`;
    await replaceFile(
      join(outDir, '404.html'),
      notFound.replace(/<\/head\s*>/i, (end) => tag + end),
    );
  }
  let written = 0;
  for (const [from, to] of Object.entries(state.redirects)) {
    const dir = join(outDir, ...from.split('/').filter(Boolean));
    // A file of the build in the way (e.g. an alias naming /llms.txt/) wins: no page there, the server never redirects it.
    const done = await mkdir(dir, { recursive: true })
      .then(() => writeFile(join(dir, 'index.html'), redirectPage(to), { flag: 'wx' }))
      .then(
        () => true,
        () => false,
      );
    if (done) written++;
  }
  return written;
}
