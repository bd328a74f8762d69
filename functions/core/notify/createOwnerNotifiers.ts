/**
 * The channels that reach each source's owners (sources file `owners:`): mail through the site's SMTP
 * settings, the site's DingTalk robot @-mentioning their mobiles (sharing its rate limit), and/or a
 * robot of their own. Made once per process, like the operators' notifiers.
 */
import type { Config } from '../config/loadConfig.ts';
import type { SourceConfig } from '../types.ts';
import { createDingTalkNotifier } from './createDingTalkNotifier.ts';
import { createEmailNotifier } from './createEmailNotifier.ts';
import type { Notifier } from './Notifier.ts';

export interface OwnerNotifiers {
  /** Channels per source id (sources without owners are absent). */
  bySource: Map<string, Notifier[]>;
  /** Owners that cannot be reached with the current settings, each with the fix. */
  warnings: string[];
}

export function createOwnerNotifiers(
  config: Config,
  sources: readonly SourceConfig[],
  siteNotifiers: readonly Notifier[],
  deps: { fetch?: typeof globalThis.fetch } = {},
): OwnerNotifiers {
  const bySource = new Map<string, Notifier[]>();
  const warnings: string[] = [];
  const siteRobot = siteNotifiers.find((n) => n.name === 'dingtalk');
  for (const s of sources) {
    const owners = s.owners;
    if (!owners) continue;
    const list: Notifier[] = [];
    if (owners.mail.length) {
      if (config.mail) list.push(createEmailNotifier({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, to: owners.mail, name: 'email' }));
      else warnings.push(`Owners of ${s.id}: mail needs SMTP_URL, MAIL_FROM and MAIL_TO set; their mail addresses get nothing.`);
    }
    const d = owners.dingtalk;
    if (d?.url) {
      const field = (key: string) => `owners.dingtalk.${key} of source ${s.id} in the sources file`;
      const settings = { url: field('url'), secret: field('secret'), keyword: field('keyword') };
      list.push(
        createDingTalkNotifier({
          url: d.url,
          ...(d.secret ? { secret: d.secret } : {}),
          ...(d.keyword ? { keyword: d.keyword } : {}),
          ...deps,
          name: 'dingtalk (own robot)',
          settings,
        }),
      );
    } else if (d?.atMobiles.length) {
      if (siteRobot) list.push(siteRobot);
      else warnings.push(`Owners of ${s.id}: dingtalk.atMobiles needs DINGTALK_WEBHOOK_URL (the site's robot) or owners.dingtalk.url (a robot of their own).`);
    }
    if (list.length) bySource.set(s.id, list);
  }
  return { bySource, warnings };
}
