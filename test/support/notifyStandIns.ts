import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Config, loadConfig } from '../../functions/core/config/loadConfig.ts';
import { type DingTalkStandIn, startDingTalkStandIn } from './dingTalkStandIn.ts';
import { type SmtpStandIn, startSmtpStandIn } from './smtpStandIn.ts';

/**
 * A DingTalk robot stand-in (checks the signature made with `dingSecret`, keyword "docs") and an SMTP
 * server (user "bot", password `smtpPass`) on 127.0.0.1, closed when the test ends, and the config
 * loaded from settings pointing at them (DINGTALK_*, SMTP_URL, MAIL_FROM bot@…, MAIL_TO team@…) plus `env`,
 * which may override any of them.
 */
export async function startNotifyStandIns(
  t: TestContext,
  options: { dingSecret: string; dingToken: string; smtpPass: string; env?: Record<string, string> },
): Promise<{ robot: DingTalkStandIn; smtp: SmtpStandIn; config: Config }> {
  const robot = await startDingTalkStandIn({ secret: options.dingSecret, accessToken: options.dingToken, keyword: 'docs' });
  const smtp = await startSmtpStandIn({ user: 'bot', pass: options.smtpPass });
  const cwd = mkdtempSync(join(tmpdir(), 'notify-'));
  t.after(async () => {
    await robot.close();
    await smtp.close();
    rmSync(cwd, { recursive: true, force: true });
  });
  const config = loadConfig({
    cwd,
    env: {
      DINGTALK_WEBHOOK_URL: robot.url,
      DINGTALK_SECRET: options.dingSecret,
      DINGTALK_KEYWORD: 'docs',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'bot@example.com',
      MAIL_TO: 'team@example.com',
      ...options.env,
    },
  });
  return { robot, smtp, config };
}
