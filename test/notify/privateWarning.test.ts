/**
 * A build of a private repository is reported with a warning (and the fix) when the status pages
 * that show it are public (STATUS_TOKEN=public); never otherwise.
 * Privacy comes from the build itself: the source outcome's `private` or the push's `repository.private`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSources } from '../../functions/core/config/loadSources.ts';
import { formatReport } from '../../functions/core/notify/formatReport.ts';
import { reportFor, type ReportContext } from '../../functions/core/notify/reportFor.ts';
import type { BuildRecord } from '../../functions/core/types.ts';
import { sampleReport } from './sampleReport.ts';

const sources = parseSources(
  {
    sources: [
      { id: 'fc', title: 'FC', repo: 'acme/docs' },
      { id: 'cli', title: 'CLI', repo: 'acme/cli' },
    ],
  },
  '/tmp',
);
const base: ReportContext = { publicUrl: 'https://docs.example.com', githubApiUrl: 'https://api.github.com', sources };
const privateBuild = (): BuildRecord => {
  const b = sampleReport().build;
  b.sources[0]!.private = true;
  return b;
};

test('a private repository built while the status pages are public: warned in every format, with the fix', () => {
  const r = formatReport(reportFor(privateBuild(), { ...base, statusPublic: true, rebuildToken: 'r'.repeat(20) }));
  for (const out of [r.text, r.markdown, r.html]) {
    assert.match(out, /Warning: private repository acme\/docs is published while the status pages/);
    assert.match(out, /Set STATUS\\?_TOKEN to a long random secret/);
  }
});

test('known private from the push payload alone: warned too', () => {
  const b = sampleReport().build;
  if (b.trigger.kind === 'push') b.trigger.private = true;
  const r = formatReport(reportFor(b, { ...base, statusPublic: true }));
  assert.match(r.text, /Warning: private repository acme\/docs is published while the status pages .*Set STATUS_TOKEN/);
});

test('no warning when the pages are protected, or when nothing is private', () => {
  assert.equal(reportFor(privateBuild(), { ...base, rebuildToken: 'r'.repeat(20) }).warnings, undefined);
  assert.equal(reportFor(privateBuild(), { ...base, statusToken: 's'.repeat(20), statusPublic: false }).warnings, undefined);
  const r = formatReport(reportFor(sampleReport().build, { ...base, statusPublic: true }));
  assert.doesNotMatch(r.text, /Warning/);
});
