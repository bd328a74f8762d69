import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transform } from './fixtures.ts';

test('Starlight asides keep their custom title; text that looks like a directive and URLs print unchanged', () => {
  const body = transform({
    'docs/a.md': ':::tip[Custom *title*]\nInside.\n:::\n\n::::note{icon="rocket"}\nNested\n::::\n\nAt 10:30, see :smile: and [mail](mailto:dev@example.com).\n',
  }).page('fc/a').body;
  assert.match(body, /^:::tip\[Custom \*title\*\]\nInside\.\n:::\n/);
  assert.match(body, /:::note\{icon="rocket"\}\nNested\n:::/);
  assert.match(body, /At 10:30, see :smile: and \[mail\]\(mailto:dev@example\.com\)\./);
});

test('raw HTML in a directive label is sanitised like any other', () => {
  const r = transform({ 'docs/a.md': ':::note[<img src=x onerror="window.__xss=\'x\'">]\nbody\n:::\n' });
  assert.doesNotMatch(r.page('fc/a').body, /onerror/);
  assert.ok(
    r.diagnostics.some((d) => d.kind === 'html' && /onerror/.test(d.message)),
    JSON.stringify(r.diagnostics),
  );
});
