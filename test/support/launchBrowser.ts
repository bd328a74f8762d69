import { chromium, type Browser } from 'playwright';
import { chromiumPath } from './chromiumPath.ts';

/**
 * Headless Chromium for browser tests: Debian's chromium (or CHROMIUM_PATH) driven by Playwright, with
 * a fresh profile (Playwright's default) and no background network traffic (the machine is offline).
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error('Chromium not found: install Debian\'s "chromium" package (npm test does it when run as root) or set CHROMIUM_PATH.');
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
