/**
 * The search indexer feeds Pagefind each page without its sidebar (withoutSidebar): the index Pagefind
 * writes must be the very same as from the whole page, byte for byte, and only the sidebar element goes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as pagefind from 'pagefind';
import { withoutSidebar } from '../../functions/core/build/searchIndex.ts';

const sidebar = (n: number): string =>
  `<sl-sidebar-state-persist class="ds-sidebar" data-hash="0abc"><script>document.querySelector('sl-sidebar-state-persist')</script><ul class="top-level">${Array.from(
    { length: n },
    (_, i) => `<li><a href="/fc/page-${i}/"><span>部署命令 ${i} sidebar-only-word-${i}</span></a></li>`,
  ).join('')}</ul></sl-sidebar-state-persist>`;
const page = (i: number): string =>
  `<!doctype html><html lang="zh-CN"><head><title>页面 ${i} | Docs</title></head><body><nav class="sidebar">${sidebar(50)}<div class="md:sl-hidden">footer</div></nav><main data-pagefind-body><h1>页面 ${i}</h1><p>函数计算会根据请求量自动扩缩容 page-word-${i}。</p><span hidden data-pagefind-filter="组件:FC"></span></main></body></html>`;

async function files(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  return new Map(
    await Promise.all(names.map(async (e) => [join(e.parentPath, e.name).slice(dir.length), await readFile(join(e.parentPath, e.name))] as const)),
  );
}

const dirs: string[] = [];
after(async () => {
  await pagefind.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('withoutSidebar', () => {
  it('removes the sidebar element and nothing else', () => {
    const html = page(1);
    const out = withoutSidebar(html);
    assert.ok(!out.includes('sidebar-only-word') && !out.includes('sl-sidebar-state-persist'));
    assert.equal(out, html.replace(sidebar(50), ''));
    assert.equal(withoutSidebar('<main>no sidebar</main>'), '<main>no sidebar</main>');
    assert.equal(withoutSidebar('<sl-sidebar-state-persist>never closed'), '<sl-sidebar-state-persist>never closed');
  });

  it('gives Pagefind the index it writes from the whole pages', async () => {
    const written: Array<Map<string, Buffer>> = [];
    for (const trim of [false, true]) {
      const { index } = await pagefind.createIndex({});
      assert.ok(index);
      for (let i = 0; i < 5; i++) {
        const response: { errors: string[] } = await index.addHTMLFile({
          sourcePath: `fc/page-${i}/index.html`,
          content: trim ? withoutSidebar(page(i)) : page(i),
        });
        assert.deepEqual(response.errors, []);
      }
      const out = await mkdtemp(join(tmpdir(), 'docs-sync-search-'));
      dirs.push(out);
      assert.deepEqual((await index.writeFiles({ outputPath: out })).errors, []);
      await index.deleteIndex();
      written.push(await files(out));
    }
    const [whole, trimmed] = written as [Map<string, Buffer>, Map<string, Buffer>];
    assert.ok(whole.size > 3, 'Pagefind wrote an index');
    assert.deepEqual([...trimmed.keys()].sort(), [...whole.keys()].sort());
    for (const [name, bytes] of whole) assert.ok(bytes.equals(trimmed.get(name)!), `${name} is the same`);
  });
});
