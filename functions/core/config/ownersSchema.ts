/**
 * The sources file's per-source `owners:` block: who hears about this source's failures, staleness and
 * broken links besides the site's operators. Validated with the rest of the sources file (loadSources).
 */
import { z } from 'zod';
import type { SourceOwners } from '../types.ts';
import { ENV_REFERENCE } from './expandOwnerSecrets.ts';

const MAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
const MOBILE = /^\+?[0-9][0-9-]{4,19}$/;

const robotUrl = z
  .string({ error: 'must be the robot\'s webhook URL, e.g. "https://oapi.dingtalk.com/robot/send?access_token=…"' })
  .refine((u) => ENV_REFERENCE.test(u) || (URL.canParse(u) && /^https?:$/.test(new URL(u).protocol)), {
    message: 'must be the robot\'s webhook URL, e.g. "https://oapi.dingtalk.com/robot/send?access_token=…", or "${NAME}" to read it from the environment',
  });

const dingtalk = z
  .object({
    atMobiles: z
      .array(z.string().regex(MOBILE, 'must be a mobile number as registered in DingTalk, e.g. "13800000000"'), {
        error: 'must be a list of mobile numbers, e.g. ["13800000000"]',
      })
      .optional(),
    url: robotUrl.optional(),
    secret: z.string().min(1, "must be the robot's 加签 secret (starting with SEC), or left out").optional(),
    keyword: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (!d.url && !d.atMobiles?.length)
      ctx.addIssue({ code: 'custom', message: 'needs "atMobiles" (people @-mentioned by the site\'s robot) and/or "url" (a robot of their own)' });
    if (!d.url && (d.secret !== undefined || d.keyword !== undefined))
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'only applies with "url" (the owners\' own robot); add the url or remove it' });
  });

export const ownersSchema = z
  .object({
    mail: z
      .array(z.string().regex(MAIL, 'must be a mail address, e.g. "fc-team@example.com"'), {
        error: 'must be a list of mail addresses, e.g. ["fc-team@example.com"]',
      })
      .optional(),
    dingtalk: dingtalk.optional(),
    notify: z
      .enum(['problems', 'changes'], {
        error: 'must be "problems" (failures, staleness, broken links; the default) or "changes" (also every successful change)',
      })
      .optional(),
  })
  .strict()
  .refine((o) => (o.mail?.length ?? 0) > 0 || o.dingtalk !== undefined, {
    message: 'names nobody: add "mail: [address]" and/or "dingtalk: { atMobiles: [mobile] }"',
  })
  .transform((o): SourceOwners => {
    const out: SourceOwners = { mail: o.mail ?? [], notify: o.notify ?? 'problems' };
    if (o.dingtalk) {
      const d: NonNullable<SourceOwners['dingtalk']> = { atMobiles: o.dingtalk.atMobiles ?? [] };
      if (o.dingtalk.url) d.url = o.dingtalk.url;
      if (o.dingtalk.secret) d.secret = o.dingtalk.secret;
      if (o.dingtalk.keyword) d.keyword = o.dingtalk.keyword;
      out.dingtalk = d;
    }
    return out;
  });
