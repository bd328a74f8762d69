import type { Config } from '../config/loadConfig.ts';

/**
 * Every secret value in `config`, for `redact`: tokens, the DingTalk signing secret and access_token,
 * and the SMTP password (as written in SMTP_URL and decoded).
 */
export function secretsOf(config: Config): string[] {
  const out: Array<string | undefined> = [config.webhookSecret, config.githubToken, config.rebuildToken, config.statusToken];
  if (config.dingtalk) {
    out.push(config.dingtalk.secret);
    if (URL.canParse(config.dingtalk.url)) out.push(new URL(config.dingtalk.url).searchParams.get('access_token') ?? undefined);
  }
  if (config.mail && URL.canParse(config.mail.smtpUrl)) out.push(new URL(config.mail.smtpUrl).password);
  return [...new Set(out.filter((s): s is string => typeof s === 'string' && s.trim() !== ''))];
}
