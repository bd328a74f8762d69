import type { Config } from '../config/loadConfig.ts';
import { createDingTalkNotifier } from './createDingTalkNotifier.ts';
import { createEmailNotifier } from './createEmailNotifier.ts';
import type { Notifier } from './Notifier.ts';

/** The notifiers `config` asks for: DingTalk when DINGTALK_WEBHOOK_URL is set, mail when SMTP_URL/MAIL_FROM/MAIL_TO are. */
export function createNotifiers(config: Config, deps: { fetch?: typeof globalThis.fetch } = {}): Notifier[] {
  const out: Notifier[] = [];
  if (config.dingtalk) out.push(createDingTalkNotifier({ ...config.dingtalk, ...(deps.fetch ? { fetch: deps.fetch } : {}) }));
  if (config.mail) out.push(createEmailNotifier(config.mail));
  return out;
}
