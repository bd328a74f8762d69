/**
 * The preview's parts alone: its command line (mistakes named with the fix), which sources it builds,
 * the pages that would move, and the live-reload channel over real HTTP (script, SSE event).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../functions/core/config/ConfigError.ts';
import type { BuildRecord, Diagnostic, SourceConfig } from '../../functions/core/types.ts';
import { toNodeListener } from '../../functions/local/toNodeListener.ts';
import { injectReloadScript } from '../../functions/preview/createPreviewHandler.ts';
import { createReloadChannel } from '../../functions/preview/createReloadChannel.ts';
import { formatPreviewReport } from '../../functions/preview/formatPreviewReport.ts';
import { pageMoves } from '../../functions/preview/pageMoves.ts';
import { parsePreviewArgs } from '../../functions/preview/parsePreviewArgs.ts';
import { previewSources } from '../../functions/preview/previewSources.ts';

const issues = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues;
  }
  assert.fail('expected a ConfigError');
};

test('command line: folder, --as, --sources, --data-dir (or DATA_DIR) or --site, --port; mistakes say the fix', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'preview-args-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'docs'));
  mkdirSync(join(dir, 'live'));
  assert.deepEqual(parsePreviewArgs(['docs', '--as', 'fc', '--port', '0'], { DATA_DIR: 'live', SOURCES_FILE: 's.yaml' }, dir), {
    folder: join(dir, 'docs'),
    as: 'fc',
    port: 0,
    sourcesFile: join(dir, 's.yaml'),
    dataDir: join(dir, 'live'),
  });
  assert.deepEqual(parsePreviewArgs(['docs'], {}, dir), { folder: join(dir, 'docs'), port: 4321 });
  assert.deepEqual(
    issues(() => parsePreviewArgs([], {}, dir)),
    ['<folder>: give exactly one docs folder to preview, e.g. "npm run preview -- ./docs" (got 0)'],
  );
  assert.match(issues(() => parsePreviewArgs(['nope'], {}, dir))[0]!, /^<folder>: .*nope is not a folder/);
  assert.match(issues(() => parsePreviewArgs(['docs', '--port', 'x'], {}, dir))[0]!, /^--port: must be a port number/);
  assert.match(issues(() => parsePreviewArgs(['docs', '--data-dir', 'missing'], {}, dir))[0]!, /^--data-dir: .* does not exist/);
  assert.deepEqual(parsePreviewArgs(['docs', '--site', 'https://docs.example.com'], { DATA_DIR: 'live' }, dir), {
    folder: join(dir, 'docs'),
    port: 4321,
    site: 'https://docs.example.com',
  });
  assert.match(issues(() => parsePreviewArgs(['docs', '--site', 'docs.example.com'], {}, dir))[0]!, /^--site: "docs\.example\.com" is not an http\(s\) URL/);
  assert.match(issues(() => parsePreviewArgs(['docs', '--site', 'https://x.test', '--data-dir', 'live'], {}, dir))[0]!, /^--site and --data-dir: give one/);
  assert.match(issues(() => parsePreviewArgs(['docs', '--bogus'], {}, dir))[0]!, /Unknown option '--bogus'.*usage: npm run preview/);
});

test('sources: the folder stands in for --as (keeping its settings, dropping the repo), alone without DATA_DIR', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'preview-src-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const configured: SourceConfig[] = [
    {
      id: 'fc',
      title: 'FC',
      repo: { owner: 'acme', name: 'fc' },
      paths: ['docs'],
      languages: { layout: 'folders', default: 'en' },
      owners: { mail: ['a@b.co'], notify: 'problems' },
    },
    { id: 'cli', title: 'CLI', repo: { owner: 'acme', name: 'cli' }, paths: ['docs'] },
  ];
  const alone = previewSources({ folder: dir, as: 'fc', withOthers: false }, configured);
  assert.deepEqual(alone.sources, [{ id: 'fc', title: 'FC', paths: ['.'], languages: { layout: 'folders', default: 'en' }, localPath: dir }]);
  mkdirSync(join(dir, 'docs'));
  const repoRoot = previewSources({ folder: dir, as: 'fc', withOthers: true }, configured);
  assert.deepEqual(
    repoRoot.sources.map((s) => [s.id, s.localPath, s.paths]),
    [
      ['fc', dir, ['docs']],
      ['cli', undefined, ['docs']],
    ],
  );
  assert.deepEqual(
    issues(() => previewSources({ folder: dir, as: 'nope', withOthers: false }, configured)),
    ['--as: no source "nope" in the sources file; pick one of: fc, cli'],
  );
  const own = previewSources({ folder: join(dir, 'My Docs'), withOthers: false }, configured);
  assert.equal(own.folderSource.id, 'my-docs');
});

test("pages that would move: the source's live URLs the preview lacks, and its new ones", () => {
  const live = { fc: 'a', 'fc/old': 'b', 'en/fc/old': 'c', cli: 'd', fcx: 'e' };
  const preview = { fc: 'a', 'fc/new': 'b', cli: 'd' };
  assert.deepEqual(pageMoves(live, preview, 'fc'), { gone: ['en/fc/old', 'fc/old'], added: ['fc/new'] });
  assert.equal(pageMoves(undefined, preview, 'fc'), undefined);
});

test('live reload: the script tag goes before </head>; the page hears "reload" over a real SSE stream', async (t) => {
  assert.equal(
    injectReloadScript('<html><head><title>x</title></head><body></body></html>'),
    '<html><head><title>x</title><script src="/_preview/reload.js" defer></script></head><body></body></html>',
  );
  const channel = createReloadChannel();
  const server = createServer(toNodeListener(async (request) => channel.handle(request) ?? new Response('no', { status: 404 })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    channel.close();
    server.closeAllConnections();
    server.close();
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const script = await fetch(`${base}/_preview/reload.js`);
  assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.match(await script.text(), /new EventSource\("\/_preview\/events"\)/);
  const events = await fetch(`${base}/_preview/events`);
  assert.equal(events.headers.get('content-type'), 'text/event-stream');
  assert.equal(channel.listeners, 1);
  const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
  let seen = '';
  channel.reload();
  while (!seen.includes('event: reload\n')) seen += (await reader.read()).value ?? '';
  assert.match(seen, /^retry: 500\n\n/);
  await reader.cancel();
});

test('the report after a build: every problem the first time, then only the new ones and how many were fixed', () => {
  const d = (file: string, message: string, kind: Diagnostic['kind'] = 'broken-link'): Diagnostic => ({ source: 'fc', file, line: 3, kind, message });
  const build = (diagnostics: Diagnostic[]): BuildRecord => ({
    id: 'p1',
    state: 'succeeded',
    trigger: { kind: 'manual', full: false },
    createdAt: '',
    attempts: 1,
    phases: { fetch: 5, transform: 40 },
    sources: [
      { id: 'fc', state: 'built', pages: 2, diagnostics },
      { id: 'cli', state: 'failed', pages: 0, diagnostics: [], error: 'no snapshot of cli' },
    ],
    pages: { total: 2, added: 0, changed: 1, removed: 0 },
  });
  const first = [d('a.md', 'Broken link "./x.md"'), d('b.md', '<script> removed', 'html')];
  assert.deepEqual(formatPreviewReport(build(first), 'fc', 812.4, { gone: ['fc/old'], added: ['fc/new'] }), [
    'Rebuilt in 812 ms (2 pages; since the last build 0 added, 1 changed, 0 removed). Phases (ms): fetch 5, transform 40.',
    '  cli: left out: no snapshot of cli',
    '  fc: 2 problem(s):',
    '  broken link: a.md:3: Broken link "./x.md"',
    '  HTML removed: b.md:3: <script> removed',
    '  Pages that would move or go (their live URLs would break): /fc/old/',
    '  New URLs: /fc/new/',
  ]);
  const next = formatPreviewReport(build([first[1]!, d('c.md', 'Broken link "./y.md"')]), 'fc', 90, undefined, first);
  assert.deepEqual(next.slice(2), ['  fc: 2 problem(s) (1 new, 1 fixed):', '  broken link: c.md:3: Broken link "./y.md"']);
  assert.deepEqual(formatPreviewReport(build(first), 'fc', 90, undefined, first).slice(2), ['  fc: 2 problem(s), none new.']);
  assert.match(
    formatPreviewReport({ ...build([]), state: 'failed', error: { phase: 'build', message: 'astro exited' } }, 'fc', 10)[0]!,
    /^Build failed in the build phase after 10 ms: astro exited/,
  );
});
