/**
 * A plain zip archive (deflate, no zip64) of a folder, written with node:zlib: the form FC takes a
 * code package in (`s deploy` zips the `code:` folder the same way). Used for the package sizes
 * `npm run package:fc` and `npm run bench:fc` print; files are added in sorted order.
 */
import { closeSync, openSync, readFileSync, readdirSync, lstatSync, writeSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** 1980-01-01, the earliest date a zip can hold. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** Zip `dir` into `zipPath` (deflate level `level`); returns the archive's size in bytes. */
export function writeZip(dir: string, zipPath: string, level = 6): number {
  const fd = openSync(zipPath, 'w');
  const central: Buffer[] = [];
  let offset = 0;
  const write = (b: Buffer) => {
    writeSync(fd, b);
    offset += b.length;
  };
  let count = 0;
  try {
    for (const file of filesUnder(dir)) {
      const name = Buffer.from(relative(dir, file).split(sep).join('/'), 'utf8');
      const data = readFileSync(file);
      const mode = lstatSync(file).mode;
      const packed = deflateRawSync(data, { level });
      const stored = packed.length >= data.length;
      const body = stored ? data : packed;
      if (data.length > 0xffffffff || offset > 0xffffffff) throw new Error(`${file}: zip64 is not supported`);
      const crc = crc32(data);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(stored ? 0 : 8, 8);
      local.writeUInt16LE(DOS_DATE, 12); // fixed time: the same files make the same archive
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(0x031e, 4); // made by Unix, so the mode (executable bit) is kept
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x0800, 8);
      header.writeUInt16LE(stored ? 0 : 8, 10);
      header.writeUInt16LE(DOS_DATE, 14);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(body.length, 20);
      header.writeUInt32LE(data.length, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE(((mode & 0xffff) << 16) >>> 0, 38);
      header.writeUInt32LE(offset, 42);
      central.push(header, name);
      write(local);
      write(name);
      write(body);
      count++;
    }
    const start = offset;
    for (const b of central) write(b);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(offset - start, 12);
    end.writeUInt32LE(start, 16);
    write(end);
  } finally {
    closeSync(fd);
  }
  return offset;
}

/** Bytes of every regular file under `dir` (a hard-linked file counts each time, as in a zip). */
export function folderBytes(dir: string): number {
  return filesUnder(dir).reduce((sum, f) => sum + lstatSync(f).size, 0);
}
