/**
 * The commit status a finished preview build gets (previewStatus.ts), as plain data: the one-line
 * summary's wording (pages, broken links in the PR's own pages, inbound links it breaks naming the
 * first), GitHub's 140-character limit, PREVIEW_INBOUND fail/warn, failed builds as `error` with
 * secrets redacted, and the builds that get no status. Plus the setting's validation.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../functions/core/config/ConfigError.ts';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { previewStatus } from '../../functions/core/preview/previewStatus.ts';
import type { BuildRecord, Diagnostic, InboundBreak, PreviewTrigger } from '../../functions/core/types.ts';

const trigger = (action: 'open' | 'close' = 'open'): PreviewTrigger => ({
  kind: 'preview',
  delivery: 'd-1',
  action,
  sources: ['fc'],
  pr: {
    repo: 'devsapp/fc',
    number: 12,
    title: 'Rename the deploy page',
    url: 'https://github.com/devsapp/fc/pull/12',
    author: 'ana',
    headSha: 'a'.repeat(40),
    headRef: 'rename',
    headRepo: 'devsapp/fc',
    baseRef: 'main',
    draft: false,
    fork: false,
  },
});

const broken = (source: string, n: number): Diagnostic[] =>
  Array.from({ length: n }, (_, i) => ({ source, file: `docs/p${i}.md`, kind: 'broken-link' as const, message: `link to ./gone${i}.md` }));

const inboundBreak = (file: string, url: string): InboundBreak => ({
  from: { source: 'ops', file },
  to: { source: 'fc', url },
  because: 'anchor removed',
});

function build(over: Partial<BuildRecord> = {}): BuildRecord {
  return {
    id: 'b-1',
    state: 'succeeded',
    trigger: trigger(),
    createdAt: '2026-12-06T10:00:00.000Z',
    attempts: 1,
    phases: {},
    sources: [
      {
        id: 'fc',
        state: 'built',
        pages: 40,
        diagnostics: [...broken('fc', 2), { source: 'fc', file: 'docs/a.md', kind: 'front-matter', message: 'bad yaml' }],
      },
      { id: 'ops', state: 'built', pages: 10, diagnostics: broken('ops', 5) },
    ],
    pages: { total: 50, added: 1, changed: 2, removed: 1 },
    preview: { key: 'fc-pr-12', url: 'http://fc-pr-12.preview.localhost:8080' },
    ...over,
  };
}

test('success: pages, broken links in the PR’s own sources only, the preview as target', () => {
  assert.deepEqual(previewStatus(build(), { inbound: 'fail' }), {
    state: 'success',
    description: 'Preview ready: pages +1 ~2 −1; 2 broken links in its pages',
    target_url: 'http://fc-pr-12.preview.localhost:8080',
  });
  const clean = build({ sources: [{ id: 'fc', state: 'built', pages: 40, diagnostics: [] }], pages: { total: 40, added: 0, changed: 1, removed: 0 } });
  assert.equal(previewStatus(clean, { inbound: 'fail' })?.description, 'Preview ready: pages +0 ~1 −0; no broken links');
  const one = build({ sources: [{ id: 'fc', state: 'built', pages: 40, diagnostics: broken('fc', 1) }] });
  assert.match(previewStatus(one, { inbound: 'fail' })!.description, /; 1 broken link in its pages$/);
  // A degraded build (another source served from its last good copy) still published the preview.
  assert.equal(previewStatus(build({ state: 'degraded' }), { inbound: 'fail' })?.state, 'success');
});

test('inbound links the PR breaks: failure naming the first with PREVIEW_INBOUND=fail, a warning with warn', () => {
  const one = build({ inboundBroken: [inboundBreak('guide.md', '/fc/old/#setup')] });
  assert.deepEqual(previewStatus(one, { inbound: 'fail' }), {
    state: 'failure',
    description: '1 inbound link broken: ops/guide.md → /fc/old/#setup; pages +1 ~2 −1; 2 broken links in its pages',
    target_url: 'http://fc-pr-12.preview.localhost:8080',
  });
  assert.deepEqual(previewStatus(one, { inbound: 'warn' }), {
    state: 'success',
    description: 'Preview ready: pages +1 ~2 −1; 2 broken links in its pages; warning: 1 inbound link broken: ops/guide.md → /fc/old/#setup',
    target_url: 'http://fc-pr-12.preview.localhost:8080',
  });
  const three = build({ inboundBroken: [inboundBreak('guide.md', '/fc/old/#setup'), inboundBreak('b.md', '/fc/x/'), inboundBreak('c.md', '/fc/y/')] });
  assert.equal(
    previewStatus(three, { inbound: 'fail' })?.description,
    '3 inbound links broken: ops/guide.md → /fc/old/#setup, +2 more; pages +1 ~2 −1; 2 broken links in its pages',
  );
});

test('the summary never exceeds GitHub’s 140 characters: a long first link is cut, the counts stay', () => {
  const long = build({
    inboundBroken: [
      inboundBreak(`docs/${'deep/'.repeat(20)}guide.md`, `/fc/${'very-long-slug-'.repeat(8)}/#a-heading-with-a-long-anchor`),
      inboundBreak('b.md', '/fc/x/'),
    ],
  });
  for (const inbound of ['fail', 'warn'] as const) {
    const { description } = previewStatus(long, { inbound })!;
    assert.ok([...description].length <= 140, `${[...description].length}: ${description}`);
    assert.match(description, /2 inbound links broken: ops\/docs\/deep\/deep\/.*…, \+1 more/);
    assert.match(description, /pages \+1 ~2 −1; 2 broken links in its pages/);
  }
});

test('a failed build: error with the phase and message, one line, secrets redacted, the build page as target', () => {
  const failed = build({
    state: 'failed',
    pages: undefined,
    preview: undefined,
    error: { phase: 'fetch', message: 'GitHub answered 500 for https://x:ghp_SECRET123456@api.example/\nretry 4 of 4 with ghp_SECRET123456' },
  });
  const status = previewStatus(failed, { inbound: 'fail', secrets: ['ghp_SECRET123456'], buildUrl: (id) => `https://docs.example.com/_builds/${id}` })!;
  assert.equal(status.state, 'error');
  assert.equal(status.target_url, 'https://docs.example.com/_builds/b-1');
  assert.equal(status.description, 'Preview failed in fetch: GitHub answered 500 for https://x:***@api.example/ retry 4 of 4 with ***');
  assert.doesNotMatch(status.description, /SECRET/);
  const verbose = build({ state: 'failed', error: { phase: 'build', message: 'x'.repeat(500) } });
  assert.equal([...previewStatus(verbose, { inbound: 'fail' })!.description].length, 140);
});

test('no status: a closed PR, builds that are not previews, builds not finished or skipped', () => {
  assert.equal(
    previewStatus(build({ trigger: trigger('close'), preview: { key: 'fc-pr-12', url: 'http://x', removed: true } }), { inbound: 'fail' }),
    undefined,
  );
  assert.equal(previewStatus(build({ trigger: { kind: 'manual', full: true } }), { inbound: 'fail' }), undefined);
  for (const state of ['queued', 'running', 'skipped', 'superseded'] as const)
    assert.equal(previewStatus(build({ state }), { inbound: 'fail' }), undefined, state);
});

test('PREVIEW_INBOUND: fail by default, warn, anything else named with the fix', (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'preview-inbound-'));
  t.after(() => rmSync(cwd, { recursive: true, force: true }));
  assert.equal(loadConfig({ cwd, env: {} }).previewInbound, 'fail');
  assert.equal(loadConfig({ cwd, env: { PREVIEW_INBOUND: ' Warn ' } }).previewInbound, 'warn');
  assert.equal(loadConfig({ cwd, env: { PREVIEW_INBOUND: 'fail' } }).previewInbound, 'fail');
  assert.throws(
    () => loadConfig({ cwd, env: { PREVIEW_INBOUND: 'error' } }),
    (err: unknown) => err instanceof ConfigError && /PREVIEW_INBOUND: must be "fail" .* or "warn"/.test(err.message),
  );
});
