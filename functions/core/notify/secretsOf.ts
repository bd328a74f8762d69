import type { Config } from '../config/loadConfig.ts';
import type { SourceConfig } from '../types.ts';

/** A robot's secrets: its 加签 secret and the access_token in its URL. */
function robotSecrets(robot: { url?: string; secret?: string }): Array<string | undefined> {
  const token = robot.url && URL.canParse(robot.url) ? (new URL(robot.url).searchParams.get('access_token') ?? undefined) : undefined;
  return [robot.secret, token];
}

/**
 * Every secret value in `config` (and in the sources file's `owners:`), for `redact`: tokens, the
 * DingTalk signing secrets and access_tokens, and the SMTP password (as written in SMTP_URL and decoded).
 */
export function secretsOf(config: Config, sources: readonly SourceConfig[] = []): string[] {
  const out: Array<string | undefined> = [config.webhookSecret, config.githubToken, config.rebuildToken, config.statusToken];
  if (config.dingtalk) out.push(...robotSecrets(config.dingtalk));
  if (config.mail && URL.canParse(config.mail.smtpUrl)) out.push(new URL(config.mail.smtpUrl).password);
  for (const s of sources) if (s.owners?.dingtalk) out.push(...robotSecrets(s.owners.dingtalk));
  return [...new Set(out.filter((s): s is string => typeof s === 'string' && s.trim() !== ''))];
}
