import { slugToUrl } from '../pageSlug.ts';
import type { Page, SourceConfig } from '../types.ts';
import { escapeMarkdown, markdownFile } from './markdownFile.ts';
import { GENERATED, type ManifestPage, type ManifestSource, type SiteConfig, type SiteMeta } from './siteManifest.ts';

const count = (n: number): string => (n === 1 ? '1 page' : `${n} pages`);
const repoLink = (repo: string, githubUrl = 'https://github.com'): string => `[${escapeMarkdown(repo)}](${githubUrl}/${repo})`;
const day = (iso: string): string => iso.slice(0, 10);
const byOrder = (a: ManifestPage, b: ManifestPage): number =>
  (a.order ?? Number.MAX_VALUE) - (b.order ?? Number.MAX_VALUE) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);

/**
 * The site's home page (`/`): every component with its description, repository, page count, when it
 * last changed, and a visible marker when it is served from its last good copy.
 */
export function landingPage(config: SiteConfig, sources: readonly ManifestSource[], meta: Pick<SiteMeta, 'githubUrl' | 'sourceStatus'> = {}): string {
  const parts: string[] = [];
  if (config.description) parts.push(escapeMarkdown(config.description));
  if (sources.length === 0) parts.push('No components are configured yet.');
  for (const source of sources) {
    parts.push(`## [${escapeMarkdown(source.title)}](${slugToUrl(source.id)})`);
    if (source.description) parts.push(escapeMarkdown(source.description));
    const status = meta.sourceStatus?.[source.id];
    const facts = [count(source.pages.filter((p) => !p.generated).length), ...(source.repo ? [repoLink(source.repo, meta.githubUrl)] : [])];
    if (status?.lastUpdated) facts.push(`last updated ${day(status.lastUpdated)}`);
    parts.push(facts.join(' · '));
    if (status?.staleSince) {
      const why = status.error ? `: ${escapeMarkdown(status.error.slice(0, 160))}` : '';
      parts.push(`> **Stale since ${escapeMarkdown(status.staleSince.replace('T', ' ').slice(0, 16))} UTC** — this component could not be updated${why}. The site shows its last good copy.`);
    }
  }
  const front = { title: config.title, slug: 'index', template: 'splash' as const };
  return markdownFile(config.description ? { ...front, description: config.description } : front, parts.join('\n\n'));
}

/** A page for `/<source id>/` when the source has no readme or index at its root: lists its pages. */
export function sourceIndexPage(source: SourceConfig, pages: readonly Page[]): Page {
  const listed = pages
    .filter((p) => p.source === source.id && p.slug !== source.id)
    .map((p): ManifestPage => (p.order === undefined ? { slug: p.slug, title: p.title } : { slug: p.slug, title: p.title, order: p.order }))
    .sort(byOrder);
  const parts: string[] = [];
  if (source.description) parts.push(escapeMarkdown(source.description));
  if (source.repo) parts.push(`Source: ${repoLink(`${source.repo.owner}/${source.repo.name}`)}`);
  parts.push(listed.length ? listed.map((p) => `- [${escapeMarkdown(p.title)}](${slugToUrl(p.slug)})`).join('\n') : 'This component has no pages yet.');
  const page: Page = { source: source.id, slug: source.id, file: GENERATED, title: source.title, body: parts.join('\n\n'), order: 0 };
  if (source.description !== undefined) page.description = source.description;
  return page;
}
