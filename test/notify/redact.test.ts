import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact } from '../../functions/core/notify/redact.ts';
import { secretsOf } from '../../functions/core/notify/secretsOf.ts';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';

test('every listed secret is replaced, in raw and URL-encoded forms', () => {
  const secret = 'SECa+b/c=d e';
  const text = `raw ${secret}; encoded ${encodeURIComponent(secret)}; form ${new URLSearchParams({ s: secret }).toString()}`;
  const out = redact(text, [secret]);
  assert.equal(out, 'raw ***; encoded ***; form s=***');
});

test('URL passwords and access_token values are hidden even when not listed', () => {
  const out = redact('connect smtps://mailer:p%40ss@smtp.example.com:465 then https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1', []);
  assert.equal(out, 'connect smtps://mailer:***@smtp.example.com:465 then https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=1');
});

test('blank secrets are ignored and text without secrets is unchanged', () => {
  const text = 'Docs build b-1 failed in the build phase: exit code 1 (https://example.com:8080/x)';
  assert.equal(redact(text, ['', '   ', undefined]), text);
  assert.equal(redact(text, ['zzz-not-there']), text);
});

test('a longer secret containing a shorter one is hidden whole', () => {
  assert.equal(redact('token=abcdef123456', ['abc', 'abcdef123456']), 'token=***');
});

test('secretsOf lists every secret in the config, with the SMTP password decoded', () => {
  const config = loadConfig({
    cwd: '/nonexistent-dir-for-dotenv',
    env: {
      GITHUB_WEBHOOK_SECRET: 'whsec',
      GITHUB_TOKEN: 'ghp_token',
      REBUILD_TOKEN: 'rebuild-tok',
      DINGTALK_WEBHOOK_URL: 'https://oapi.dingtalk.com/robot/send?access_token=dt-token',
      DINGTALK_SECRET: 'SECsign',
      SMTP_URL: 'smtp://bot:p%40ss%3Aword@smtp.example.com:587',
      MAIL_FROM: 'bot@example.com',
      MAIL_TO: 'a@example.com',
    },
  });
  const secrets = secretsOf(config);
  for (const s of ['whsec', 'ghp_token', 'rebuild-tok', 'dt-token', 'SECsign']) assert.ok(secrets.includes(s), s);
  assert.equal(redact('auth failed for p@ss:word', secrets), 'auth failed for ***');
});
