/**
 * A build triggered by reconcile is reported as such: the trigger says which sources were caught up
 * (old → new sha, how many commits) and a section per source lists the commits never delivered.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatReport } from '../../functions/core/notify/formatReport.ts';
import { NEW_SHA, OLD_SHA, sampleReport } from './sampleReport.ts';

it('reports a reconcile build with the commits it caught up', () => {
  const trigger = {
    kind: 'reconcile' as const,
    sources: [
      {
        id: 'fc',
        repo: 'acme/docs',
        ref: 'main',
        from: OLD_SHA,
        to: NEW_SHA,
        totalCommits: 2,
        commits: [
          { sha: 'aaaaaaa1111111111111111111111111111111111', message: 'Fix the quick start', author: 'Ada' },
          { sha: NEW_SHA, message: 'Add a FAQ', author: 'Lin' },
        ],
      },
    ],
  };
  const { title, text, markdown, html } = formatReport(sampleReport({ trigger }));
  assert.equal(title, 'Docs build succeeded: reconciled fc');
  assert.match(text, /Trigger: reconcile: pushes never delivered, caught up from GitHub: fc 0a1b2c3 → 3f9c2a1 \(2 commits\)/);
  assert.match(text, /Caught up \(never delivered\): fc 0a1b2c3 → 3f9c2a1 \(2 commits\)/);
  assert.match(text, /aaaaaaa Fix the quick start \(Ada\)/);
  assert.match(text, /3f9c2a1 Add a FAQ \(Lin\)/);
  assert.match(markdown, /Add a FAQ/);
  assert.match(html, /Fix the quick start \(Ada\)/);
});
