import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { IncompleteResponseError } from '../../functions/core/fetch/errors.ts';
import { readTarball, type TarEntryHeader } from '../../functions/core/fetch/readTarball.ts';
import { GitRepo } from '../support/gitRepo.ts';

/** One ustar header block (+ data, padded), written by hand to craft archives git never makes. */
function tarEntry(name: string, data: Buffer | string, type = '0'): Buffer {
  const body = Buffer.from(data);
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}
const END = Buffer.alloc(1024);
/** Split into small chunks so every parser boundary is crossed. */
const chunked = (buf: Buffer, size: number): Readable =>
  Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

describe('readTarball', () => {
  let dir: string;
  let tgz: Buffer;
  const big = randomBytes(300_000);
  const longName = `docs/${'很长的目录名'.repeat(6)}/${'命令'.repeat(10)}.md`;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-tarball-'));
    const repo = await GitRepo.init(join(dir, 'r.git'));
    const sha = await repo.commit({
      files: {
        'README.md': '# Root\n',
        [longName]: '# 长\n',
        'docs/empty.md': '',
        'docs/exact.md': 'x'.repeat(512),
        'docs/big.bin': big,
        'docs/link.md': { symlink: '../README.md' },
      },
    });
    tgz = gzipSync(await repo.archive(sha, `devsapp-fc-${sha.slice(0, 7)}/`));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('reads what git archive wrote: UTF-8 long names, empty and block-sized files, binary, top folder removed', async () => {
    const seen: TarEntryHeader[] = [];
    const { files, comment } = await readTarball(chunked(tgz, 7), (h) => (seen.push(h), true));
    const byPath = new Map(files.map((f) => [f.path, f.content]));
    assert.deepEqual([...byPath.keys()].sort(), ['README.md', 'docs/big.bin', 'docs/empty.md', 'docs/exact.md', longName].sort());
    assert.equal(byPath.get(longName)?.toString(), '# 长\n');
    assert.equal(byPath.get('docs/empty.md')?.length, 0);
    assert.equal(byPath.get('docs/exact.md')?.toString(), 'x'.repeat(512));
    assert.ok(byPath.get('docs/big.bin')?.equals(big));
    assert.match(comment ?? '', /^[0-9a-f]{40}$/);
    assert.deepEqual(
      seen.find((h) => h.path === 'docs/link.md'),
      { path: 'docs/link.md', type: 'symlink', size: 0 },
    );
    assert.ok(seen.some((h) => h.path === 'docs' && h.type === 'directory'));
  });

  test('keeps only what the filter accepts', async () => {
    const { files } = await readTarball(Readable.from([tgz]), (h) => h.path.endsWith('.md') && h.size < 100);
    assert.deepEqual(files.map((f) => f.path).sort(), ['README.md', 'docs/empty.md', longName].sort());
  });

  test('ignores entries with absolute paths, "..", or outside a top folder', async () => {
    const tar = Buffer.concat([
      tarEntry('top/ok.md', 'ok'),
      tarEntry('top/../../evil.md', 'evil'),
      tarEntry('/etc/evil.md', 'evil'),
      tarEntry('top/./dot.md', 'evil'),
      tarEntry('lonely.md', 'evil'),
      tarEntry('././@LongLink', 'top/a/long/name.md\0', 'L'),
      tarEntry('top/a/long/na', 'gnu long name'),
      END,
    ]);
    const { files } = await readTarball(Readable.from([gzipSync(tar)]), () => true);
    assert.deepEqual(
      files.map((f) => [f.path, f.content.toString()]),
      [
        ['ok.md', 'ok'],
        ['a/long/name.md', 'gnu long name'],
      ],
    );
  });

  test('a cut-short download rejects, so it can be retried', async () => {
    await assert.rejects(
      readTarball(Readable.from([tgz.subarray(0, tgz.length - 40)]), () => true),
      /unexpected end of file/,
    );
    const noEnd = gzipSync(tarEntry('top/a.md', 'a'));
    await assert.rejects(
      readTarball(Readable.from([noEnd]), () => true),
      IncompleteResponseError,
    );
    const corrupt = tarEntry('top/a.md', 'a');
    corrupt[10] = 0x41;
    await assert.rejects(
      readTarball(Readable.from([gzipSync(Buffer.concat([corrupt, END]))]), () => true),
      /checksum/,
    );
  });
});
