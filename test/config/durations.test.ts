/**
 * RECONCILE_EVERY and STALE_AFTER: durations with units, `0` for off, defaults, and a friendly error
 * naming the variable and the fix for anything else.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ConfigError } from '../../functions/core/config/ConfigError.ts';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { describeDuration, parseDuration } from '../../functions/core/config/parseDuration.ts';

it('parses durations with units, 0 as off, and refuses anything else', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration(' 1h30m '), 5_400_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('2d'), 172_800_000);
  assert.equal(parseDuration('0'), 0);
  for (const bad of ['', '5', 'five minutes', '5 m', 'm5', '-5m', '5x', '5m!']) assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(describeDuration(5_400_000), '1 h 30 min');
  assert.equal(describeDuration(61_000), '1 min 1 s');
});

it('reads RECONCILE_EVERY and STALE_AFTER with defaults, and names the variable and the fix when wrong', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'durations-'));
  try {
    assert.deepEqual((({ reconcileEveryMs, staleAfterMs }) => ({ reconcileEveryMs, staleAfterMs }))(loadConfig({ cwd, env: {} })), {
      reconcileEveryMs: 300_000,
      staleAfterMs: 3_600_000,
    });
    const off = loadConfig({ cwd, env: { RECONCILE_EVERY: '0', STALE_AFTER: '0' } });
    assert.equal(off.reconcileEveryMs, 0);
    assert.equal(off.staleAfterMs, 0);
    assert.equal(loadConfig({ cwd, env: { RECONCILE_EVERY: '30s' } }).reconcileEveryMs, 30_000);
    assert.throws(
      () => loadConfig({ cwd, env: { RECONCILE_EVERY: '5 minutes', STALE_AFTER: 'soon' } }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /RECONCILE_EVERY: must be a duration such as 30s or 5m \(units ms, s, m, h, d\), or 0 to turn it off/);
        assert.match(err.message, /STALE_AFTER: must be a duration such as 30m or 1h/);
        return true;
      },
    );
    assert.throws(() => loadConfig({ cwd, env: { RECONCILE_EVERY: '10ms' } }), /RECONCILE_EVERY: must be 0 \(off\) or at least 1s/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
