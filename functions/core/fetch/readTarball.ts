import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { IncompleteResponseError, TarballTooLargeError } from './errors.ts';

export interface TarEntryHeader {
  /** Path with the top folder removed, POSIX separators. */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
}

export interface TarFile {
  path: string;
  content: Buffer;
}

export interface TarballContents {
  files: TarFile[];
  /** The pax global `comment` (GitHub and `git archive` put the commit sha there). */
  comment?: string;
}

const BLOCK = 512;
const META_MAX = 1 << 20;

const field = (b: Buffer, start: number, len: number): string => {
  const f = b.subarray(start, start + len);
  const nul = f.indexOf(0);
  return (nul < 0 ? f : f.subarray(0, nul)).toString('utf8');
};

function numeric(b: Buffer, start: number, len: number): number {
  if ((b[start]! & 0x80) !== 0) {
    let n = 0; // base-256 (GNU) for sizes over 8 GB
    for (let i = start + 1; i < start + len; i++) n = n * 256 + b[i]!;
    return n;
  }
  return parseInt(field(b, start, len).trim() || '0', 8);
}

/** pax records: "<len> <key>=<value>\n", len counted in bytes. */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const len = parseInt(data.subarray(pos, space).toString('ascii'), 10);
    if (space < 0 || !(len > 0)) break;
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

/** Drop the archive's top folder; undefined for unsafe names (absolute, `..`, `.`, empty segments). */
function relativePath(raw: string): string | undefined {
  if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw)) return undefined;
  const segments = raw.replace(/\/+$/, '').split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) return undefined;
  return segments.length > 1 ? segments.slice(1).join('/') : undefined;
}

/**
 * Read a gzip tarball such as GitHub's (every entry under one `owner-repo-sha/` folder) as a stream,
 * keeping the regular files `keep` accepts; the rest is skipped without being buffered. Handles ustar
 * prefixes, pax and GNU long names (UTF-8). Unsafe entry names are ignored. A corrupt or cut-short
 * archive rejects (IncompleteResponseError, or zlib's error), so the download can be retried.
 */
export async function readTarball(
  gzipped: Readable | AsyncIterable<Uint8Array>,
  keep: (entry: TarEntryHeader) => boolean,
  { maxBytes = 2 ** 31 }: { maxBytes?: number } = {},
): Promise<TarballContents> {
  const files: TarFile[] = [];
  let comment: string | undefined;
  let pending: Buffer = Buffer.alloc(0);
  let ended = false;
  let total = 0;
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let entry: { kind: string; path: string | undefined; left: number; pad: number; chunks: Buffer[] | undefined } | undefined;

  const finish = (e: NonNullable<typeof entry>): void => {
    const data = e.chunks ? Buffer.concat(e.chunks) : undefined;
    if (e.kind === 'x' && data) pax = parsePax(data);
    else if (e.kind === 'g' && data) comment = parsePax(data).comment ?? comment;
    else if (e.kind === 'L' && data) longName = field(data, 0, data.length);
    else if (data && e.path !== undefined) files.push({ path: e.path, content: data });
  };

  const header = (b: Buffer): NonNullable<typeof entry> => {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
    if (sum !== numeric(b, 148, 8)) throw new IncompleteResponseError('the tarball from GitHub is corrupt (bad tar header checksum)');
    const kind = b[156] === 0 ? '0' : String.fromCharCode(b[156]!);
    const size = numeric(b, 124, 12);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if ('xgLK'.includes(kind)) {
      if (size > META_MAX) throw new IncompleteResponseError('the tarball from GitHub is corrupt (oversized metadata entry)');
      return { kind, path: undefined, left: size, pad: padded - size, chunks: [] };
    }
    const prefix = field(b, 257, 5) === 'ustar' ? field(b, 345, 155) : '';
    const raw = pax.path ?? longName ?? (prefix ? `${prefix}/${field(b, 0, 100)}` : field(b, 0, 100));
    const realSize = pax.size !== undefined ? Number(pax.size) : size;
    pax = {};
    longName = undefined;
    const type = kind === '0' || kind === '7' ? 'file' : kind === '5' ? 'directory' : kind === '2' ? 'symlink' : 'other';
    const path = relativePath(raw);
    const wanted = path !== undefined && type === 'file' && keep({ path, type, size: realSize });
    if (path !== undefined && type !== 'file') keep({ path, type, size: realSize });
    const dataPadded = Math.ceil(realSize / BLOCK) * BLOCK;
    return { kind, path, left: realSize, pad: dataPadded - realSize, chunks: wanted ? [] : undefined };
  };

  const feed = (chunk: Buffer): void => {
    total += chunk.length;
    if (total > maxBytes) throw new TarballTooLargeError(`the tarball is larger than ${maxBytes} bytes unpacked; list fewer files or raise the limit`);
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (!ended) {
      if (!entry) {
        if (pending.length - off < BLOCK) break;
        const block = pending.subarray(off, off + BLOCK);
        off += BLOCK;
        if (block.every((x) => x === 0)) ended = true;
        else entry = header(block);
      } else {
        const n = Math.min(pending.length - off, entry.left > 0 ? entry.left : entry.pad);
        if (entry.left > 0) {
          entry.chunks?.push(pending.subarray(off, off + n));
          entry.left -= n;
        } else entry.pad -= n;
        off += n;
      }
      if (entry && entry.left === 0 && entry.pad === 0) {
        finish(entry);
        entry = undefined;
      } else if (entry && off === pending.length) break;
    }
    pending = ended ? Buffer.alloc(0) : pending.subarray(off);
  };

  await pipeline(gzipped, createGunzip(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) feed(chunk);
  });
  if (!ended) throw new IncompleteResponseError('the tarball from GitHub ended early (no end-of-archive marker)');
  return comment === undefined ? { files } : { files, comment };
}
