/**
 * The cost of coalescing under a push storm: 1,000 pushes accepted into one queue while one build waits,
 * each new push carrying all before it; the rows written per delivery must not grow with the builds carried.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BuildQueue } from '../../functions/core/queue/BuildQueue.ts';
import { openDatabase } from '../../functions/core/queue/openDatabase.ts';
import type { SourceConfig } from '../../functions/core/types.ts';
import { decidePush, pushFields } from '../../functions/core/webhook/decidePush.ts';
import { pushPayload } from '../support/signedDelivery.ts';
import { REPO } from '../support/siteFixture.ts';

describe('load: coalescing a push storm into one waiting build', () => {
  it('a push costs the same however many waiting builds it coalesces (rows written per delivery)', (t) => {
    // The storm a long build sees: every push lands while one build waits, so each new one carries all before it.
    const dir = mkdtempSync(join(tmpdir(), 'coalesce-'));
    const queue = new BuildQueue(openDatabase(join(dir, 'queue.db')), { coalesceWindowMs: 3_600_000 });
    try {
      const sources: SourceConfig[] = [{ id: 'widgets', title: 'Widgets', repo: { owner: REPO.owner, name: REPO.name }, paths: ['docs'] }];
      const changes = (): number => (queue.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
      const sha = (i: number): string => createHash('sha1').update(String(i)).digest('hex');
      const PUSHES = 1000;
      const written: number[] = [];
      const ms: number[] = [];
      let last = '';
      for (let i = 1; i <= PUSHES; i++) {
        const fields = pushFields(pushPayload(REPO.full, 'main', { sha: sha(i), before: sha(i - 1), commits: [{ modified: ['docs/readme.md'] }] }))!;
        const before = changes();
        const t0 = performance.now();
        const r = queue.acceptDelivery({ guid: `d${i}`, event: 'push', repo: fields.repo, ref: fields.ref }, decidePush(fields, `d${i}`, sources));
        ms.push(performance.now() - t0);
        written.push(changes() - before);
        if (!r.duplicate && r.build) last = r.build.id;
      }
      const at = (n: number): string =>
        `push ${n}: ${written[n - 1]} rows, ${(ms.slice(Math.max(0, n - 50), n).reduce((a, b) => a + b, 0) / Math.min(n, 50)).toFixed(2)} ms`;
      t.diagnostic(
        `rows written (and ms, mean of the 50 before) per accepted push while one build waits: ${[1, 10, 100, 250, 500, 750, 1000].map(at).join('; ')}`,
      );
      const ledger = queue.listDeliveries(PUSHES);
      assert.equal(ledger.length, PUSHES);
      assert.ok(
        ledger.every((d) => d.outcome === 'queued' && (d.builtIn ?? d.buildId) === last),
        'every delivery is carried by the one waiting build',
      );
      assert.ok(
        Math.max(...written) <= 10,
        `a push rewrote ${Math.max(...written)} rows (push #${written.indexOf(Math.max(...written)) + 1}): the cost of coalescing grows with the builds already carried`,
      );
    } finally {
      queue.db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
