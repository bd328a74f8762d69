import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEmailNotifier } from '../../functions/core/notify/createEmailNotifier.ts';
import { formatReport } from '../../functions/core/notify/formatReport.ts';
import { startSmtpStandIn } from '../support/smtpStandIn.ts';
import { sampleReport } from './sampleReport.ts';

const PASS = 'Zx9!q7-mail-pass';

test('a report arrives over real SMTP with text and HTML parts, for every recipient', async (t) => {
  const smtp = await startSmtpStandIn({ user: 'docs-bot', pass: PASS });
  t.after(() => smtp.close());
  const report = sampleReport({
    trigger: { kind: 'push', repo: 'acme/<docs>', ref: 'refs/heads/主分支', sha: 'abcdef0123', pusher: '张三', delivery: 'd-1' },
  });
  const notifier = createEmailNotifier({ smtpUrl: smtp.url, from: 'Docs Bot <bot@example.com>', to: ['a@example.com', 'b@example.org'] });
  assert.equal(notifier.name, 'email');
  await notifier.send(report);

  assert.equal(smtp.messages.length, 1);
  const mail = smtp.messages[0]!;
  assert.equal(mail.from, 'bot@example.com');
  assert.deepEqual(mail.to, ['a@example.com', 'b@example.org']);
  assert.match(mail.headers['content-type'] ?? '', /^multipart\/alternative/);
  assert.equal(mail.subject, formatReport(report).title);
  assert.deepEqual(
    mail.parts.map((p) => p.contentType),
    ['text/plain', 'text/html'],
  );
  assert.match(mail.text ?? '', /push to acme\/<docs>, branch 主分支, commit abcdef0 by 张三/);
  assert.match(mail.html ?? '', /push to acme\/&#60;docs&#62;, branch 主分支, commit abcdef0 by 张三/);
  assert.ok(!mail.raw.includes(PASS));
});

test('a wrong password gives a clear error with no password in it', async (t) => {
  const smtp = await startSmtpStandIn({ user: 'docs-bot', pass: PASS });
  t.after(() => smtp.close());
  const wrong = 'wrong-p@ss:word';
  const smtpUrl = `smtp://docs-bot:${encodeURIComponent(wrong)}@127.0.0.1:${smtp.port}`;
  const err = await createEmailNotifier({ smtpUrl, from: 'bot@example.com', to: ['a@example.com'] })
    .send(sampleReport())
    .then(
      () => assert.fail('expected an auth failure'),
      (e: Error) => e,
    );
  assert.match(err.message, /^Mail via smtp:\/\/docs-bot@127\.0\.0\.1:\d+ failed: .*535.* — check the user name and password in SMTP_URL\.$/);
  for (const s of [wrong, encodeURIComponent(wrong), PASS]) assert.ok(!err.message.includes(s), `leaked ${s}: ${err.message}`);
  assert.equal(smtp.messages.length, 0);
});

test('sending without credentials to a server that wants them is refused clearly', async (t) => {
  const smtp = await startSmtpStandIn({ user: 'docs-bot', pass: PASS });
  t.after(() => smtp.close());
  const notifier = createEmailNotifier({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'bot@example.com', to: ['a@example.com'] });
  await assert.rejects(notifier.send(sampleReport()), /failed: .*530.*check the user name and password in SMTP_URL/);
});

test('an unreachable server names host and port, not the password', async (t) => {
  const smtp = await startSmtpStandIn();
  const port = smtp.port;
  await smtp.close();
  const notifier = createEmailNotifier({ smtpUrl: `smtp://bot:${PASS}@127.0.0.1:${port}`, from: 'bot@example.com', to: ['a@example.com'] });
  const err = await notifier.send(sampleReport()).then(
    () => assert.fail('expected failure'),
    (e: Error) => e,
  );
  assert.match(err.message, /ECONNREFUSED.*check the host and port in SMTP_URL/);
  assert.ok(!err.message.includes(PASS), err.message);
  t.diagnostic(err.message);
});
