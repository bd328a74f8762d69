import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createTransformRunner } from '../../functions/core/transform/createTransformRunner.ts';
import { buildSiteIndex } from '../../functions/core/transform/siteIndex.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';
import { fetchedSource } from './fixtures.ts';

const alpha = () =>
  fetchedSource(
    {
      'docs/readme.md': '# Alpha\n\nSee [beta setup](https://github.com/acme/beta/blob/main/docs/setup.md#安装).\n',
      'docs/guide.md': '---\ntitle: 指南\n---\n\n## 第一步\n\n[home](readme.md)\n',
    },
    { id: 'alpha', title: 'Alpha', repo: { owner: 'acme', name: 'alpha' } },
  );
const beta = (setup = '# Setup\n\n## 安装\n') =>
  fetchedSource({ 'docs/setup.md': setup }, { id: 'beta', title: 'Beta', repo: { owner: 'acme', name: 'beta' } });
/** Markdown the parser needs seconds for (unclosed emphasis markers: time grows with the square of their number). */
const SLOW = `# Slow\n\n${'*a'.repeat(20_000)}\n`;

describe('createTransformRunner', () => {
  const runners: Array<ReturnType<typeof createTransformRunner>> = [];
  const runner = (options: Parameters<typeof createTransformRunner>[0] = {}) => {
    const r = createTransformRunner(options);
    runners.push(r);
    return r;
  };
  after(() => Promise.all(runners.map((r) => r.close())));

  it('gives what transformSource gives with one site index, transforming in a worker thread', async () => {
    const fetched = [alpha(), beta()];
    const got = await runner().transformAll(fetched);
    const siteIndex = buildSiteIndex(fetched);
    for (const f of fetched) assert.deepEqual(got.get(f.source.id), transformSource(f, { siteIndex }), f.source.id);
    assert.match(got.get('alpha')!.pages.find((p) => p.slug === 'alpha')!.body, /\[beta setup\]\(\/beta\/setup\/#安装\)/, 'cross-source link made internal');
    // The worker keeps its transform cache: an edit in beta that removes the anchor shows up in alpha.
    const again = await runners[0]!.transformAll([alpha(), beta('# Setup\n\n## Install\n')]);
    assert.match(
      again
        .get('alpha')!
        .diagnostics.map((d) => d.message)
        .join('\n'),
      /anchor #安装 not found in \/beta\/setup\//,
    );
  });

  it('shows a file that takes too long as text, reports it, and keeps the main thread free meanwhile', async () => {
    const logs: string[] = [];
    const slow = fetchedSource(
      { 'docs/slow.md': SLOW, 'docs/fine.md': '# Fine\n\n[alpha](https://github.com/acme/alpha/blob/main/docs/guide.md)\n' },
      { id: 'slow', title: 'Slow' },
    );
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const got = await runner({ fileLimitMs: 400, log: (l) => logs.push(l) })
      .transformAll([alpha(), slow])
      .finally(() => clearInterval(timer));
    assert.ok(ticks > 0, 'timers ran on the main thread while the transform ran (a synchronous transform gives none)');
    const result = got.get('slow')!;
    const page = result.pages.find((p) => p.file === 'docs/slow.md')!;
    assert.equal(page.title, 'slow', 'no heading parsed: the title is the file name');
    assert.ok(page.body.startsWith('```text\n# Slow\n\n*a*a*a'), page.body.slice(0, 40));
    assert.deepEqual(
      result.diagnostics.map((d) => [d.file, d.kind]),
      [['docs/slow.md', 'other']],
    );
    assert.match(
      result.diagnostics[0]!.message,
      /^Transforming this file took more than 0.4 s .* shows its text as it is, in a code block\. Simplify the file\.$/,
    );
    assert.match(result.pages.find((p) => p.file === 'docs/fine.md')!.body, /\[alpha\]\(\/alpha\/guide\/\)/, 'the other files as usual');
    assert.equal(got.get('alpha')!.pages.length, 2);
    assert.deepEqual(logs, ['transform: slow: docs/slow.md took more than 0.4 s; it is shown as text and the sources are transformed again']);
  });

  it('stops when the build is aborted, and works again afterwards', async () => {
    const r = runner();
    const controller = new AbortController();
    const slow = fetchedSource({ 'docs/slow.md': SLOW }, { id: 'slow', title: 'Slow' });
    const pending = r.transformAll([slow], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('attempt timed out')), 100);
    await assert.rejects(pending, /attempt timed out/);
    const got = await r.transformAll([beta()]);
    assert.equal(got.get('beta')!.pages[0]!.title, 'Setup');
  });
});
