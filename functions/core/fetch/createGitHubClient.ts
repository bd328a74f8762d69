import { Octokit } from '@octokit/rest';

export interface GitHubClientOptions {
  /** REST API root, from GITHUB_API_URL (default https://api.github.com; GitHub Enterprise: https://host/api/v3). */
  baseUrl?: string;
  /** GITHUB_TOKEN; anonymous when absent (60 requests/hour). */
  token?: string;
  /** The fetch implementation (default: Node's global fetch, untouched). */
  fetch?: typeof globalThis.fetch;
  /** Where Octokit's own warnings (e.g. deprecated endpoints) go; its debug/info chatter is dropped. */
  warn?: (message: string) => void;
}

/**
 * The Octokit every GitHub read goes through. No plugins that retry or throttle on their own:
 * withRetry decides that. Octokit never logs request headers, so the token stays out of logs.
 */
export function createGitHubClient({ baseUrl = 'https://api.github.com', token, fetch, warn = (m) => console.warn(m) }: GitHubClientOptions = {}): Octokit {
  const quiet = (): void => {};
  // Octokit reports every non-2xx answer as an error; a 304 to a conditional request is the good news.
  const error = (m: string): void => (/ - 304 with id /.test(m) ? undefined : warn(`GitHub client: ${m}`));
  return new Octokit({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    userAgent: 'docs-sync',
    ...(token ? { auth: token } : {}),
    request: fetch ? { fetch } : {},
    log: { debug: quiet, info: quiet, warn: (m: string) => warn(`GitHub client: ${m}`), error },
  });
}
