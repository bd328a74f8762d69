/**
 * Where previews are served (PREVIEW_URL): a URL template with `{key}` in its host name, e.g.
 * `https://{key}.preview.docs.example.com` (wildcard DNS) or the default
 * `http://{key}.preview.localhost:<PORT>` (browsers resolve `*.localhost` to this machine). Each preview
 * has its own host, so every root-relative URL of its built site works unchanged. A request whose
 * host name matches the template is a request for that preview (the port is not compared: a proxy may
 * change it).
 */

const KEY = '{key}';
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface PreviewHosts {
  /** The preview's URL (no trailing slash). */
  urlFor(key: string): string;
  /** The preview key a request's host name names, or undefined for any other host. */
  keyOf(request: Request): string | undefined;
}

/** Why `template` cannot be PREVIEW_URL, or undefined when it can. */
export function previewUrlProblem(template: string): string | undefined {
  const example = 'e.g. https://{key}.preview.docs.example.com (wildcard DNS) or http://{key}.preview.localhost:8080';
  const sample = template.replaceAll(KEY, 'fc-pr-1');
  if (!URL.canParse(sample)) return `must be a URL with {key} in its host name, ${example}`;
  const url = new URL(sample);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http or https URL, ${example}`;
  const host = new URL(template.replaceAll(KEY, 'x1x')).hostname;
  if (!host.includes('x1x') || template.split(KEY).length !== 2) return `must name {key} once, in the host name (each preview has its own host), ${example}`;
  if (url.pathname !== '/' || url.search || url.hash)
    return `must be a bare origin (no path, query or fragment): previews are served at their host's root, ${example}`;
  return undefined;
}

/** The preview hosts of a (valid) PREVIEW_URL template. */
export function previewHosts(template: string): PreviewHosts {
  const base = template.replace(/\/+$/, '');
  const host = new URL(base.replace(KEY, 'x1x')).hostname;
  const [prefix = '', suffix = ''] = host.split('x1x');
  return {
    urlFor: (key) => base.replace(KEY, key),
    keyOf: (request) => {
      const name = new URL(request.url).hostname.toLowerCase();
      if (name.length <= prefix.length + suffix.length || !name.startsWith(prefix) || !name.endsWith(suffix)) return undefined;
      const key = name.slice(prefix.length, name.length - suffix.length);
      return LABEL.test(key) ? key : undefined;
    },
  };
}
