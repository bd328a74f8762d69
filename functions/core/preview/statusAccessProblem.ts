/**
 * Whether a failed commit status update means the token may not write statuses on that repository
 * (GitHub: 403 `Resource not accessible by …` for a fine-grained token or a GitHub App, 404 for a classic
 * token without the scope, 401 for a bad or missing token), and then the one diagnostic that says so,
 * naming the permission to grant. Rate limits and server errors are not access problems.
 */
import { GitHubReadError } from '../fetch/errors.ts';

interface Answered {
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

/** The diagnostic for `repo`, or undefined when `err` is not an access problem. */
export function statusAccessProblem(err: unknown, repo: string): string | undefined {
  if (!(err instanceof GitHubReadError) || ![401, 403, 404].includes(err.status ?? 0)) return undefined;
  const res = (err.cause as Answered | undefined)?.response;
  const headers = res?.headers ?? {};
  const said = (res?.data as { message?: unknown } | undefined)?.message;
  const message = typeof said === 'string' ? said.slice(0, 200) : '';
  if (String(headers['x-ratelimit-remaining']) === '0' || headers['retry-after'] !== undefined || /rate limit/i.test(message)) return undefined;
  const answered = `GitHub answered ${err.status}${message ? ` "${message}"` : ''}`;
  const grant =
    'classic token: the repo:status scope (or repo); fine-grained token: "Commit statuses: Read and write" on ' +
    `${repo}; GitHub App: the "Commit statuses" permission (statuses: write)`;
  const why =
    err.status === 401
      ? 'GITHUB_TOKEN is missing, wrong or expired; set a token that may write commit statuses'
      : `GITHUB_TOKEN may not write commit statuses there${err.status === 404 ? ' (or cannot see the repository)' : ''}; grant it`;
  return `Commit status on ${repo} not set: ${answered} — ${why} (${grant}). Previews keep working; no more status updates for ${repo} until restart.`;
}
