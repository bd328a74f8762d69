import { posix } from 'node:path';
import { docsFolderOf, resolveRelative, slugToUrl } from '../pageSlug.ts';
import { githubFileUrl, parseGitHubLink } from './githubUrls.ts';
import { findAnchor, type Outline } from './outline.ts';
import type { IndexedSource, SiteIndex } from './siteIndex.ts';
import type { DocsData } from './transformData.ts';
import { isScriptUrl, urlScheme } from './urlSafety.ts';

/** What to do with one link target found in a page. */
export type LinkResolution =
  /** Leave it: external URL, mailto:, unknown root path, a file outside the repository… */
  | { kind: 'keep' }
  /** javascript:, vbscript:, data:text/html… */
  | { kind: 'unsafe' }
  /**
   * Use `url` instead. `to`: `anchor` (same page), `relative` (a page of the same repository reached
   * by a relative or repo-root path), `absolute` (this source's page by GitHub or published URL),
   * `cross-source` (a page of another source), `github` (a repository file that is not a page).
   */
  | { kind: 'rewrite'; url: string; to: 'anchor' | 'relative' | 'absolute' | 'cross-source' | 'github'; anchorChanged: boolean }
  /** A missing file, or a missing anchor on an existing page (then `url` still points at the page). */
  | { kind: 'broken'; reason: 'file' | 'anchor'; message: string; url?: string; target?: string };

const MARKDOWN = /\.(md|markdown)$/i;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `path?query#fragment` → parts; `fragment` undefined when there is no `#`. */
function split(url: string): { path: string; query: string; fragment: string | undefined } {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  return {
    path: queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt),
    query: queryAt === -1 ? '' : beforeHash.slice(queryAt),
    fragment: hashAt === -1 ? undefined : url.slice(hashAt + 1),
  };
}

/** The page of a repository path (a markdown file, a folder with a readme/index, or `x` for `x.md`). */
function pageOf(sources: IndexedSource[], path: string): { slug: string; source: string } | undefined {
  for (const s of sources) {
    const id = s.fetched.source.id;
    if (MARKDOWN.test(path)) {
      const slug = s.slugs.get(path);
      if (slug !== undefined) return { slug, source: id };
      continue;
    }
    const folder = path.replace(/\/+$/, '') || '.';
    const slug = s.folders.get(folder) ?? s.slugs.get(`${folder}.md`) ?? s.slugs.get(folder); // `x.md/` too
    if (slug !== undefined) return { slug, source: id };
  }
  return undefined;
}

/**
 * Resolve a link written in `docs.file` the way GitHub would (relative to the file; `/x.md` from the
 * repository root; full GitHub blob/tree URLs of configured repositories) or as a URL of this site or
 * of a source's former site, and map it to the page's URL here, with its `#anchor` changed to the id
 * the site gives that heading. `outline` holds the current page's own targets (for `#x` links).
 */
export function resolveDocLink(url: string, docs: DocsData, outline: Outline | undefined, what: 'link' | 'image' = 'link'): LinkResolution {
  const site: SiteIndex | undefined = docs.site;
  const trimmed = url.trim();
  if (trimmed === '' || trimmed.startsWith('?')) return { kind: 'keep' };
  const self = docs.place?.slug;
  const own = site?.sources.get(docs.source.id);
  const sameRepo = docs.source.repo && site ? site.repoSources(`${docs.source.repo.owner}/${docs.source.repo.name}`) : [];
  const repoSources = own ? [own, ...sameRepo.filter((s) => s !== own)] : sameRepo;

  const toPage = (slug: string, fragment: string | undefined, query: string, to: 'anchor' | 'relative' | 'absolute' | 'cross-source'): LinkResolution => {
    const base = to === 'anchor' ? '' : slugToUrl(slug) + query;
    if (fragment === undefined || fragment === '') return { kind: 'rewrite', url: base || '#', to, anchorChanged: false };
    const targets = slug === self ? outline : site?.outline(slug);
    if (!targets) return { kind: 'rewrite', url: `${base}#${fragment}`, to, anchorChanged: false };
    const id = findAnchor(targets, fragment);
    if (id === undefined) {
      const file = site?.page(slug)?.file.path ?? docs.file;
      const some = targets.site
        .slice(0, 5)
        .map((h) => `#${h}`)
        .join(', ');
      const target = site?.page(slug)?.source.fetched.source.id;
      return {
        kind: 'broken',
        reason: 'anchor',
        url: `${base}#${fragment}`,
        ...(target ? { target } : {}),
        message: `Broken ${what} "${url}": anchor #${decode(fragment)} not found in /${slug}/ (${file}).${some ? ` Its headings: ${some}${targets.site.length > 5 ? '…' : ''}.` : ' It has no headings.'}`,
      };
    }
    const anchor = id === '' ? (to === 'anchor' ? '#_top' : '') : `#${id}`;
    return { kind: 'rewrite', url: base + anchor || '#_top', to, anchorChanged: anchor !== `#${fragment}` };
  };
  const toFound = (found: { slug: string; source: string }, fragment: string | undefined, query: string, absolute: boolean) =>
    toPage(found.slug, fragment, query, found.source !== docs.source.id ? 'cross-source' : absolute ? 'absolute' : 'relative');

  if (trimmed.startsWith('#')) return self !== undefined ? toPage(self, trimmed.slice(1), '', 'anchor') : { kind: 'keep' };
  if (isScriptUrl(trimmed)) return { kind: 'unsafe' };
  const scheme = urlScheme(trimmed);
  if (scheme === 'file') {
    return {
      kind: 'broken',
      reason: 'file',
      message: `Broken ${what} "${url.slice(0, 120)}": a file: URL points at a file on the author's computer, which readers cannot open. Add the file to the repository and link it by a relative path.`,
    };
  }
  if (scheme !== undefined || trimmed.startsWith('//')) {
    if (!site || (scheme !== undefined && scheme !== 'http' && scheme !== 'https')) return { kind: 'keep' };
    const absolute = scheme === undefined ? `https:${trimmed}` : trimmed;
    if (!URL.canParse(absolute)) return { kind: 'keep' };
    const parsed = new URL(absolute);
    const { fragment } = split(trimmed);
    const gh = parseGitHubLink(parsed, site.githubUrl);
    const ghSources = gh ? site.repoSources(gh.repo) : [];
    if (gh && ghSources.length > 0) {
      const tracked = new Set(ghSources.map((s) => s.fetched.ref));
      const splits = [...gh.splits].sort((a, b) => Number(tracked.has(b.ref)) - Number(tracked.has(a.ref)));
      // A link at a version's branch or tag (sources file `versions:`) goes to that version's page first.
      const refOf = (x: IndexedSource): string => (x.fetched.source.version?.kind ? x.fetched.source.ref! : x.fetched.ref);
      for (const { path, ref } of splits) {
        const found = pageOf(
          [...ghSources].sort((a, b) => Number(refOf(b) === ref) - Number(refOf(a) === ref)),
          path,
        );
        if (found) return toFound(found, fragment, '', true);
      }
      const missing = splits.find(
        (s) => tracked.has(s.ref) && MARKDOWN.test(s.path) && ghSources.some((x) => docsFolderOf(s.path, x.fetched.source.paths) !== undefined),
      );
      if (missing) {
        const ids = ghSources.map((s) => `"${s.fetched.source.id}"`).join(', ');
        return {
          kind: 'broken',
          reason: 'file',
          target: (ghSources.find((x) => docsFolderOf(missing.path, x.fetched.source.paths) !== undefined) ?? ghSources[0]!).fetched.source.id,
          message: `Broken ${what} "${url}": ${missing.path} is not a page of source ${ids} (no such file on ${missing.ref}).`,
        };
      }
      return { kind: 'keep' };
    }
    const slug = site.publishedPage(absolute);
    const page = slug === undefined ? undefined : site.page(slug);
    return slug !== undefined && page ? toFound({ slug, source: page.source.fetched.source.id }, fragment, '', true) : { kind: 'keep' };
  }

  const { path, query, fragment } = split(trimmed);
  const decoded = decode(path);
  const rootRelative = decoded.startsWith('/');
  const target = rootRelative ? posix.normalize(decoded.replace(/^\/+/, '') || '.') : resolveRelative(docs.file, decoded);
  const outside = target === '..' || target.startsWith('../');
  const found = outside ? undefined : (pageOf(repoSources.length > 0 ? repoSources : [], target) ?? (!own ? pageOfSlugs(docs, target) : undefined));
  if (found) return toFound(found, fragment, query, false);
  const repo = docs.source.repo;
  const ref = own?.fetched.ref ?? docs.source.ref;
  if (MARKDOWN.test(target)) {
    if (outside || !repo || !ref || docsFolderOf(target, docs.paths) !== undefined) {
      return {
        kind: 'broken',
        reason: 'file',
        message: `Broken ${what} "${url}": ${target} is not a page of source "${docs.source.id}". Fix the path (it is relative to ${docs.file}).`,
      };
    }
  }
  if (rootRelative && site) {
    // Inside an old version, `/<source>/x/` means that version's page when it has one (as GitHub links at its ref do).
    const inVersion = versionPath(docs.source, decoded);
    const versioned = inVersion === undefined ? undefined : site.publishedPage(inVersion);
    if (versioned !== undefined && site.page(versioned)) return toFound({ slug: versioned, source: docs.source.id }, fragment, query, true);
    const slug = site.publishedPage(decoded);
    const page = slug === undefined ? undefined : site.page(slug);
    if (slug !== undefined && page) return toFound({ slug, source: page.source.fetched.source.id }, fragment, query, true);
    const missing = missingSitePage(site, decoded, docs.source.id);
    if (missing) return { kind: 'broken', reason: 'file', target: missing, message: `Broken ${what} "${url}": no page of source "${missing}" at ${path}.` };
    if (!MARKDOWN.test(target)) return { kind: 'keep' };
  }
  if (outside || !repo || !ref || !site) return { kind: 'keep' };
  const kind = what === 'image' ? 'raw' : path.endsWith('/') ? 'tree' : 'blob';
  const hash = fragment === undefined ? '' : `#${fragment}`;
  return {
    kind: 'rewrite',
    url: githubFileUrl(site.githubUrl, repo, kind, ref, target.replace(/\/+$/, '')) + query + hash,
    to: 'github',
    anchorChanged: false,
  };
}

/** `/<base>/x/` (or `/en/<base>/x/`, `/zh/<base>/x/`) as the same path in an old version's tree, `/<base>/<version>/x/`. */
function versionPath(source: DocsData['source'], path: string): string | undefined {
  const v = source.version;
  if (!v || v.latest) return undefined;
  const m = /^(\/(?:en\/|zh\/)?)([^/]+)(\/.*)?$/.exec(path);
  if (!m || m[2] !== v.base) return undefined;
  const versionSegment = source.id.slice(v.base.length + 1);
  return `${m[1]}${v.base}/${versionSegment}${m[3] ?? '/'}`;
}

/** Without a site index (plugins used on their own): the source's own slug map only. */
function pageOfSlugs(docs: DocsData, target: string): { slug: string; source: string } | undefined {
  const slug = docs.slugs.get(target) ?? docs.slugs.get(`${target.replace(/\/+$/, '')}.md`);
  return slug === undefined ? undefined : { slug, source: docs.source.id };
}

/**
 * The other source a site path (`/<source>/…`, `/en/<source>/…`, `/zh/<source>/…`) points into when no
 * page is there: a page-like path (no file extension) under another source's id.
 */
function missingSitePage(site: SiteIndex, path: string, self: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'en' || parts[0] === 'zh') parts.shift();
  const id = parts[0];
  if (!id || id === self || !site.sources.has(id) || /\.[a-z0-9]+$/i.test(parts.at(-1) ?? '')) return undefined;
  return id;
}
