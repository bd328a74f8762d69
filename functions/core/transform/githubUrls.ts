/**
 * GitHub web URLs: the web base for an API base URL, file URLs (edit, blob, raw), and parsing
 * `https://<host>/<owner>/<repo>/(blob|tree)/<ref>/<path>` links found in docs.
 */

/**
 * The web base URL of a GitHub API base URL: `https://api.github.com` → `https://github.com`;
 * GitHub Enterprise `https://ghe.example.com/api/v3` → `https://ghe.example.com`.
 */
export function githubWebUrl(apiUrl = 'https://api.github.com'): string {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return 'https://github.com';
  }
  if (url.hostname.toLowerCase() === 'api.github.com') return 'https://github.com';
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/v3$/i, '');
  return `${url.protocol}//${url.host}${path}`;
}

const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** `<web>/<owner>/<name>/<kind>/<ref>/<path>`, every segment percent-encoded (slashes in `ref` kept). */
export function githubFileUrl(web: string, repo: { owner: string; name: string }, kind: 'edit' | 'blob' | 'tree' | 'raw', ref: string, path: string): string {
  const tail = path === '.' || path === '' ? '' : `/${encodePath(path)}`;
  return `${web.replace(/\/+$/, '')}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/${kind}/${encodePath(ref)}${tail}`;
}

/** A link to a file or folder of a GitHub repository; `splits` are the possible `ref`/`path` readings. */
export interface GitHubLink {
  /** `owner/name`, lower case (GitHub names are case-insensitive). */
  repo: string;
  kind: 'blob' | 'tree';
  /** A ref may contain `/`, so every reading is offered, shortest ref first (`.`: the root, for `tree/<ref>`). Decoded. */
  splits: Array<{ ref: string; path: string }>;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Parse a GitHub blob/tree URL on the web host `web` (`www.` tolerated); undefined for anything else. */
export function parseGitHubLink(url: URL, web: string): GitHubLink | undefined {
  const base = new URL(web);
  const host = (h: string): string => h.toLowerCase().replace(/^www\./, '');
  if (host(url.host) !== host(base.host) || !/^https?:$/.test(url.protocol)) return undefined;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (!url.pathname.startsWith(`${prefix}/`)) return undefined;
  const parts = url.pathname.slice(prefix.length + 1).split('/');
  const [owner, name, kind, ...rest] = parts;
  if (!owner || !name || (kind !== 'blob' && kind !== 'tree') || rest.length === 0 || !rest[0]) return undefined;
  while (rest.length > 1 && rest[rest.length - 1] === '') rest.pop();
  const splits: GitHubLink['splits'] = [];
  if (rest.length === 1) return { repo: `${owner}/${name}`.toLowerCase(), kind, splits: [{ ref: decode(rest[0]!), path: '.' }] };
  for (let i = 1; i < rest.length; i++) {
    splits.push({ ref: rest.slice(0, i).map(decode).join('/'), path: rest.slice(i).map(decode).join('/') });
  }
  return { repo: `${owner}/${name}`.toLowerCase(), kind, splits };
}
