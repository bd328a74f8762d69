import type { z } from 'zod';

/** A configuration problem: names the field and says how to fix it. */
export class ConfigError extends Error {
  readonly issues: string[];
  constructor(where: string, issues: string[]) {
    super(`${where} is invalid:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Parse with a zod schema; on failure throw a ConfigError listing every field with its fix. */
export function parseWithFriendlyErrors<T extends z.ZodType>(schema: T, input: unknown, where: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    return `${field}: ${issue.message}`;
  });
  throw new ConfigError(where, issues);
}
