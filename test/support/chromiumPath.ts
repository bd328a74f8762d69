import { existsSync } from 'node:fs';

/** Debian's chromium (or CHROMIUM_PATH), for Playwright's `executablePath`; undefined when absent. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => typeof p === 'string' && p !== '' && existsSync(p));
}
