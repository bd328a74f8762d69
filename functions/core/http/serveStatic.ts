import { open, type FileHandle } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { ifRangeHolds, parseByteRange } from './byteRange.ts';
import { contentSecurityPolicy } from './contentSecurityPolicy.ts';
import { notFoundNote, redirectLocation, releaseRedirects, withNote } from './releaseRedirects.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  // Pagefind's index files are binary (compressed) blobs.
  '.pagefind': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
};

/** Content type of a file name; unknown extensions are served as bytes. */
export function contentType(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

const text = (status: number, body: string, extra: Record<string, string> = {}): Response =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra } });

/** The URL path as folder names, or undefined when it is malformed or tries to leave the root. */
function segmentsOf(rawPath: string): string[] | undefined {
  // Encoded "/" or "\" would turn into separators only after decoding; NUL is never a file name.
  if (/%(2f|5c|00)/i.test(rawPath)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  // ".." is traversal; other dot names are hidden files, never part of a release.
  return segments.some((s) => s.startsWith('.')) ? undefined : segments;
}

async function openFile(path: string): Promise<{ handle: FileHandle; size: number; mtimeMs: number; dir: boolean } | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  const info = await handle.stat();
  return { handle, size: info.size, mtimeMs: info.mtimeMs, dir: info.isDirectory() };
}

/** The start of an HTML file, where its `<head>` is (read at an offset: the stream still starts at 0). */
async function readHead(handle: FileHandle): Promise<string> {
  const buffer = Buffer.alloc(32 * 1024);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  return buffer.subarray(0, bytesRead).toString('utf8');
}

/**
 * Serve a file of a built site (`rootDir`, the release the caller resolved for this request) as a
 * web-standard Response: folders serve their index.html (`/fc` redirects to `/fc/`), missing files get
 * the site's 404.html with status 404, traversal and encoded separators are refused. GET and HEAD only.
 * Old URLs of pages that moved answer 301 and a 404 under a component links its index (releaseRedirects.ts).
 * Files support one byte range (`206`, see byteRange.ts); the 404 page is always sent whole.
 */
export async function serveStatic(request: Request, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed\n', { allow: 'GET, HEAD' });
  const head = request.method === 'HEAD';
  const url = new URL(request.url);
  const segments = segmentsOf(url.pathname);
  if (!segments) return text(400, 'Bad request path\n');

  const root = rootDir.endsWith(sep) ? rootDir.slice(0, -1) : rootDir;
  let path = join(root, ...segments);
  if (path !== root && !path.startsWith(root + sep)) return text(400, 'Bad request path\n');
  let file = await openFile(path);
  // A page that moved: its old URL answers 301 (the release's redirects table); a file never moves.
  const table = await releaseRedirects(root);
  const moved = file && !file.dir ? undefined : redirectLocation(table, segments, url.search);
  if (moved) {
    await file?.handle.close();
    return new Response(null, { status: 301, headers: { location: moved, 'cache-control': 'no-cache' } });
  }
  if (file?.dir) {
    await file.handle.close();
    if (!url.pathname.endsWith('/')) {
      // Leading slashes collapsed: "//host" would be a redirect to another site.
      const location = `/${url.pathname.replace(/^\/+/, '')}/${url.search}`;
      return new Response(null, { status: 301, headers: { location, 'cache-control': 'no-cache' } });
    }
    path = join(path, 'index.html');
    file = await openFile(path);
  } else if (file && url.pathname.endsWith('/')) {
    await file.handle.close();
    file = undefined;
  }

  let status = 200;
  if (!file || file.dir) {
    if (file) await file.handle.close();
    status = 404;
    path = join(root, '404.html');
    file = await openFile(path);
    if (!file || file.dir) {
      if (file) await file.handle.close();
      return text(404, 'Not found\n');
    }
    const note = await notFoundNote(root, table, segments);
    if (note) {
      const html = withNote(await file.handle.readFile('utf8'), note);
      await file.handle.close();
      const headers = {
        'content-type': 'text/html; charset=utf-8',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
        'content-security-policy': contentSecurityPolicy(html),
      };
      return new Response(head ? null : html, { status, headers });
    }
  }

  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'content-type': contentType(path),
    'x-content-type-options': 'nosniff',
    // Astro's /_astro/ files carry a content hash in their name; everything else may change per release.
    'cache-control': status === 200 && segments[0] === '_astro' ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  let range: { start: number; end: number } | undefined;
  // Every page carries its policy (contentSecurityPolicy.ts): no script runs but the site's own.
  if (path.endsWith('.html')) headers['content-security-policy'] = contentSecurityPolicy(await readHead(file.handle));
  if (status === 200) {
    headers.etag = etag;
    headers['last-modified'] = new Date(file.mtimeMs).toUTCString();
    headers['accept-ranges'] = 'bytes';
    const match = request.headers.get('if-none-match');
    if (match?.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
      await file.handle.close();
      return new Response(null, { status: 304, headers });
    }
    const asked = parseByteRange(request.headers.get('range'), file.size);
    if (asked && ifRangeHolds(request.headers.get('if-range'), headers['last-modified'])) {
      if (asked === 'unsatisfiable') {
        await file.handle.close();
        return text(416, 'Range not satisfiable\n', { 'content-range': `bytes */${file.size}`, 'accept-ranges': 'bytes' });
      }
      range = asked;
      status = 206;
      headers['content-range'] = `bytes ${range.start}-${range.end}/${file.size}`;
    }
  }
  headers['content-length'] = String(range ? range.end - range.start + 1 : file.size);
  if (head) {
    await file.handle.close();
    return new Response(null, { status, headers });
  }
  const body = Readable.toWeb(file.handle.createReadStream(range ?? { start: 0 })) as ReadableStream<Uint8Array>;
  return new Response(body, { status, headers });
}
