/**
 * Owners' robot URL and secret may be written `${NAME}` in the sources file, so the file can be
 * committed without them: the value comes from the environment (or `.env`), read once at start.
 */
import type { SourceConfig } from '../types.ts';

export const ENV_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** Replace `${NAME}` in each source's owners.dingtalk url/secret; returns the problems (field: fix). */
export function expandOwnerSecrets(sources: SourceConfig[], env: NodeJS.ProcessEnv): string[] {
  const issues: string[] = [];
  sources.forEach((s, i) => {
    const robot = s.owners?.dingtalk;
    if (!robot) return;
    for (const key of ['url', 'secret'] as const) {
      const name = robot[key] === undefined ? undefined : ENV_REFERENCE.exec(robot[key])?.[1];
      if (name === undefined) continue;
      const value = env[name]?.trim();
      const field = `sources.${i}.owners.dingtalk.${key}`;
      if (!value)
        issues.push(`${field}: ${name} is not set; set it in the environment or .env (the ${key === 'url' ? "robot's webhook URL" : "robot's 加签 secret"})`);
      else if (key === 'url' && !(URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)))
        issues.push(`${field}: ${name} must be the robot's webhook URL, e.g. "https://oapi.dingtalk.com/robot/send?access_token=…"`);
      else robot[key] = value;
    }
  });
  return issues;
}
