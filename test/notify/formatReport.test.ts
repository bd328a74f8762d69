import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport, MAX_MARKDOWN_BYTES } from '../../functions/core/notify/formatReport.ts';
import type { Diagnostic, SourceOutcome } from '../../functions/core/types.ts';
import { sampleReport } from './sampleReport.ts';

const EMOJI = /\p{Extended_Pictographic}/u;

test('a successful push build names the outcome, trigger, timings, sources and links', () => {
  const r = formatReport(sampleReport());
  assert.match(r.title, /^Docs build succeeded: acme\/docs main 3f9c2a1$/);
  for (const out of [r.text, r.markdown, r.html]) {
    assert.match(out, /b-20240501-0007 succeeded/);
    assert.match(out, /acme\/docs/);
    assert.match(out, /branch main/);
    assert.match(out, /commit 3f9c2a1 by alice/);
    assert.match(out, /72d3162e-cc78-11e3-81ab-4c9367dc0958/);
    assert.match(out, /1 min 23 s \(fetch 1\.5 s, transform 2\.3 s, build 1 min 5 s, deploy 6\.0 s\)/);
    assert.match(out, /43 total: 2 added, 1 removed, 5 changed/);
    assert.match(out, /fc: built at 3f9c2a1, 42 pages, 2 diagnostics/);
    assert.match(out, /cli: built at a1b2c3d, 1 page, 0 diagnostics/);
    assert.match(out, /docs\/command\/deploy\.md:12/);
    assert.doesNotMatch(out, /title is missing/, 'only broken links are listed');
    assert.doesNotMatch(out, EMOJI);
  }
  assert.match(r.text, /Site: https:\/\/docs\.example\.com\n/);
  assert.match(r.text, /Build details: https:\/\/docs\.example\.com\/_builds\/b-20240501-0007/);
  assert.match(r.markdown, /\[Site\]\(https:\/\/docs\.example\.com\)/);
  assert.match(r.html, /<a href="https:\/\/docs\.example\.com\/_builds\/b-20240501-0007">Build details<\/a>/);
});

test('a failed build names the phase and the error', () => {
  const r = formatReport(sampleReport({
    state: 'failed',
    attempts: 3,
    error: { phase: 'build', message: 'astro build exited with code 1:\n  [ERROR] Could not resolve "./x"' },
    sources: [{ id: 'fc', state: 'failed', pages: 0, diagnostics: [], error: 'GitHub answered 404 for acme/fc' }],
  }));
  assert.match(r.title, /^Docs build failed:/);
  assert.match(r.text, /failed in the build phase\./);
  assert.match(r.text, /Error \(build\): astro build exited with code 1: \[ERROR\] Could not resolve "\.\/x"/);
  assert.match(r.text, /Attempts: 3/);
  assert.match(r.text, /fc: failed \(GitHub answered 404 for acme\/fc\); 0 pages/);
  assert.match(r.html, /Error \(build\)<\/th><td>astro build exited with code 1: \[ERROR\] Could not resolve &#34;\.\/x&#34;/);
});

test('a skipped build gives the reason; a queue failure says it never started', () => {
  const skipped = formatReport(sampleReport({ state: 'skipped', reason: 'no docs changed in this push', sources: [] }));
  assert.match(skipped.title, /^Docs build skipped:/);
  assert.match(skipped.text, /was skipped: no docs changed in this push/);
  const queued = formatReport(sampleReport({ state: 'failed', error: { phase: 'queue', message: 'disk full' } }));
  assert.match(queued.text, /failed before it started \(queue\)/);
});

test('manual triggers say who asked, for which sources, and whether it was full', () => {
  const some = formatReport(sampleReport({ trigger: { kind: 'manual', sources: ['fc', 'cli'], full: true, requestedBy: 'bob' } }));
  assert.equal(some.title, 'Docs build succeeded: manual rebuild');
  assert.match(some.text, /Trigger: manual rebuild requested by bob: sources fc, cli, full/);
  const all = formatReport(sampleReport({ trigger: { kind: 'manual', full: false } }));
  assert.match(all.text, /Trigger: manual rebuild: all sources, changed pages only/);
});

test('text from sources is escaped in HTML and neutralised in markdown', () => {
  const evil = '<script>alert("x")</script>';
  const r = formatReport(sampleReport({
    trigger: { kind: 'push', repo: `acme/${evil}`, ref: 'refs/heads/<b>', sha: 'abcdef0123', pusher: 'mallory"&<img src=x onerror=alert(1)>', delivery: 'd' },
    error: { phase: 'transform', message: `bad ${evil} [click](javascript:alert(1))` },
    state: 'failed',
  }));
  assert.doesNotMatch(r.html, /<script|<img|<b>/);
  assert.match(r.html, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;/);
  assert.match(r.html, /mallory&#34;&#38;&#60;img/);
  assert.doesNotMatch(r.markdown, /(?<!\\)<(script|img|b>)|(?<!\\)\[click/, 'no unescaped tag or link from sources');
  assert.match(r.markdown, /\\\[click\\\]/);
});

test('long lists are cut with "… and N more" and the markdown stays under DingTalk\'s limit', () => {
  const long = '链接指向的页面不存在，请检查相对路径是否正确。'.repeat(40);
  const sources: SourceOutcome[] = Array.from({ length: 60 }, (_, i) => {
    const diagnostics: Diagnostic[] = Array.from({ length: 30 }, (_, j) => ({
      source: `s${i}`, file: `docs/${j}.md`, line: j + 1, kind: 'broken-link', message: long,
    }));
    return { id: `source-${i}-${'x'.repeat(300)}`, state: i % 2 ? 'failed' : 'built', pages: 10, diagnostics, error: long };
  });
  const r = formatReport(sampleReport({ sources, state: 'failed', error: { phase: 'fetch', message: long.repeat(20) } }));
  assert.match(r.text, /… and 50 more/);
  assert.match(r.text, /… and 1795 more/);
  assert.ok(Buffer.byteLength(r.markdown) <= MAX_MARKDOWN_BYTES, `markdown is ${Buffer.byteLength(r.markdown)} bytes`);
  assert.ok(r.text.length < 10_000 && r.html.length < 20_000);
  assert.match(r.markdown, /\[Build details\]/, 'links survive the cuts');
});
