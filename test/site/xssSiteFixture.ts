/**
 * The hostile site of xssSite.test.ts: one component whose pages carry the XSS battery (a page per
 * class of test/support/xssVectors.ts), what the differential fuzzer found, and the harmless HTML
 * these docs use, each ending in an end-of-page marker. Built for real (transform, `astro build`
 * through the site builder, the gate) and served by serveStatic, CSP header included, on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite } from '../../functions/core/build/buildSite.ts';
import { writeContent } from '../../functions/core/build/writeContent.ts';
import { serveStatic } from '../../functions/core/http/serveStatic.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';
import { transform } from '../transform/fixtures.ts';
import { FUZZ_FOUND, XSS_VECTORS } from '../support/xssVectors.ts';

export const END_MARKER = 'END-OF-PAGE-MARKER';

export const HARMLESS = [
  '## Install',
  'Line one<br>line two, <kbd>Ctrl</kbd>+<kbd>C</kbd>, H<sub>2</sub>O, x<sup>2</sup>, <font color="red">red</font>.',
  '<center><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" alt="centred pixel"></center>',
  '<details><summary>More</summary>\n\nHidden **text**\n</details>',
  '<table><tr><th>Head</th></tr><tr><td>cell</td></tr></table>',
  ':::tip[Custom title]\nInside the aside.\n:::',
  '![local picture](./pic.png)',
  'Replace <region> with yours. Back to [install](#install).',
  '## __svelte',
  '```sh title="deploy.sh"\ns deploy\n```',
].join('\n\n');

export interface XssSite {
  base: string;
  out: string;
  /** Page slugs: one per vector class, `fc/fuzz-found`, `fc/harmless`. */
  slugs: string[];
  close(): Promise<void>;
}

export async function startXssSite(): Promise<XssSite> {
  const dir = await mkdtemp(join(tmpdir(), 'docs-sync-xss-'));
  const files: Record<string, string> = { 'docs/readme.md': '# Hostile docs\n' };
  for (const [kind, vectors] of Object.entries(XSS_VECTORS)) files[`docs/${kind}.md`] = `# ${kind}\n\n${vectors.join('\n\n')}\n\n${END_MARKER}\n`;
  files['docs/fuzz-found.md'] = `# Fuzz found\n\n${FUZZ_FOUND.join('\n\n')}\n\n${END_MARKER}\n`;
  files['docs/harmless.md'] = `# Harmless\n\n${HARMLESS}\n\n${END_MARKER}\n`;
  const source = { id: 'fc', title: 'Hostile', paths: ['docs'] };
  const { pages } = transform(files, source);
  const out = join(dir, 'out');
  await writeContent(join(dir, 'content'), pages, [source], { title: 'XSS', lang: 'en' });
  await buildSite({ contentDir: join(dir, 'content'), outDir: out, cacheDir: join(dir, 'cache') });
  const server: Server = createServer(toNodeListener((request) => serveStatic(request, out)));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    out,
    slugs: pages.map((p) => p.slug).filter((s) => s !== 'fc'),
    async close() {
      await new Promise<void>((done) => server.close(() => done()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
