/** /status's live commit of a source comes from live builds only: a preview build shows a PR head, not the site. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { freshnessStatus } from '../../functions/core/reconcile/freshnessStatus.ts';
import type { BuildRecord, SourceConfig } from '../../functions/core/types.ts';

it('a succeeded preview build is never taken for the live commit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'preview-not-live-'));
  try {
    const source: SourceConfig = { id: 'fc', title: 'FC', repo: { owner: 'devsapp', name: 'fc' }, paths: ['docs'] };
    const built = (id: string, sha: string, trigger: BuildRecord['trigger']): BuildRecord => ({
      id,
      state: 'succeeded',
      trigger,
      createdAt: '2026-01-01T00:00:00Z',
      attempts: 1,
      phases: {},
      sources: [{ id: 'fc', state: 'built', sha, pages: 1, diagnostics: [] }],
    });
    const pr = {
      repo: 'devsapp/fc',
      number: 3,
      title: 'x',
      url: 'u',
      author: 'a',
      headSha: 'b'.repeat(40),
      headRef: 'x',
      headRepo: 'devsapp/fc',
      baseRef: 'main',
      draft: false,
      fork: false,
    };
    const builds = [
      built('2', 'b'.repeat(40), { kind: 'preview', delivery: 'd2', action: 'open', sources: ['fc'], pr }),
      built('1', 'a'.repeat(40), { kind: 'manual', full: false }),
    ];
    const status = await freshnessStatus({ sources: [source], dataDir: dir, builds, reconcileEveryMs: 0, staleAfterMs: 0 });
    assert.deepEqual([status.sources[0]!.live, status.sources[0]!.liveBuild], ['a'.repeat(40), '1']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
