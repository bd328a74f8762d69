/**
 * STATUS_TOKEN is validated once at start: a short token is refused with the field and the fix;
 * "public" is the explicit opt-out (never treated as a secret to redact); a real token is a secret.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { secretsOf } from '../../functions/core/notify/secretsOf.ts';

const cwd = mkdtempSync(join(tmpdir(), 'status-token-'));

test('STATUS_TOKEN: a short token is refused naming the variable and the fix', () => {
  assert.throws(() => loadConfig({ env: { STATUS_TOKEN: 'abc' }, cwd }), /STATUS_TOKEN: must be a long random secret \(16 characters or more.*or "public"/);
});

test('STATUS_TOKEN=public opts out and is no secret; a token is a secret to redact', () => {
  const open = loadConfig({ env: { STATUS_TOKEN: 'public' }, cwd });
  assert.equal(open.statusPublic, true);
  assert.equal(open.statusToken, undefined);
  assert.ok(!secretsOf(open).includes('public'));
  const token = 'f00dfeedc0ffee1234567890';
  const guarded = loadConfig({ env: { STATUS_TOKEN: token }, cwd });
  assert.equal(guarded.statusToken, token);
  assert.ok(secretsOf(guarded).includes(token));
});
