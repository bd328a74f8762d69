/**
 * Entry names a hostile or broken server could send in a tarball, and odd file paths a fetch step could
 * hand over by mistake: none of them may leave the docs site. Prints a table of paths → outcomes.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readTarball } from '../../functions/core/fetch/readTarball.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';
import type { SourceConfig } from '../../functions/core/types.ts';
import { printTable, type Row } from '../support/printTable.ts';

const safeSlug = (slug: string): boolean => slug.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !/[\\\0\n\r]/.test(s));
const safePath = (p: string): boolean => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');

/** A minimal ustar archive (GNU long names for paths over 100 bytes are not needed here). */
function tarOf(entries: Array<[string, string]>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const h = Buffer.alloc(512);
    h.write(name.slice(0, 100), 0, 'utf8');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

describe('hostile names', () => {
  it('pipeline: entry names git cannot hold (.., absolute, NUL, backslash) never leave the docs site', async (t) => {
    // A tarball as a hostile or broken server could send it; GitHub's own never holds such names.
    const tar = gzipSync(
      tarOf([
        ['widgets-abc/docs/ok.md', '# OK\n'],
        ['widgets-abc/docs/../../../tmp/evil.md', '# evil\n'],
        ['/etc/docs/abs.md', '# abs\n'],
        ['widgets-abc/docs/./dot.md', '# dot\n'],
        ['widgets-abc//docs/empty-seg.md', '# empty segment\n'],
        ['C:\\docs\\win.md', '# windows\n'],
      ]),
    );
    const got = await readTarball(Readable.from([tar]), () => true);
    assert.deepEqual(
      got.files.map((f) => f.path),
      ['docs/ok.md'],
      'only the safe entry is kept',
    );
    for (const f of got.files) assert.ok(safePath(f.path), `unsafe path kept: ${JSON.stringify(f.path)}`);
    // Paths a fetch step could still hand over by mistake: the transform makes safe URLs of them or skips them.
    const source: SourceConfig = { id: 'widgets', title: 'W', repo: { owner: 'acme', name: 'widgets' }, paths: ['docs'] };
    const odd = [
      'docs/readme.md',
      'docs/../../../tmp/evil.md',
      '/etc/passwd.md',
      'docs/a\nb.md',
      'docs/.../x.md',
      'C:\\x.md',
      'docs\\..\\..\\x.md',
      'docs/nul\0.md',
      'docs/%2e%2e/enc.md',
      'docs/..\\win.md',
    ];
    const { pages, diagnostics } = transformSource({
      source,
      sha: 'a'.repeat(40),
      ref: 'main',
      files: odd.map((path) => ({ path, content: new TextEncoder().encode('# T\n\nx\n') })),
    });
    const rows: Row[] = [];
    for (const p of odd) {
      const page = pages.find((x) => x.file === p);
      const diag = diagnostics.find((x) => x.file === p);
      const ok = page ? safeSlug(page.slug) : diag !== undefined;
      rows.push({ kind: JSON.stringify(p), status: 0, outcome: page ? `page /${page.slug}/` : `skipped: ${diag?.message.slice(0, 70)}`, ok });
    }
    printTable(t, 'Odd file paths → page URL or diagnostic', rows);
    assert.ok(
      rows.every((r) => r.ok),
      rows
        .filter((r) => !r.ok)
        .map((r) => r.kind)
        .join(', '),
    );
  });
});
