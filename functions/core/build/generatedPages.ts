import { slugToUrl } from '../pageSlug.ts';
import type { Page, SourceConfig } from '../types.ts';
import { escapeMarkdown, markdownFile } from './markdownFile.ts';
import { GENERATED, sourceSidebar, type ManifestPage, type ManifestSource, type SidebarItem, type SiteConfig, type SiteMeta } from './siteManifest.ts';

const repoLink = (repo: string, githubUrl = 'https://github.com'): string => `[${escapeMarkdown(repo)}](${githubUrl}/${repo})`;
const day = (iso: string): string => iso.slice(0, 10);
const byOrder = (a: ManifestPage, b: ManifestPage): number =>
  (a.order ?? Number.MAX_VALUE) - (b.order ?? Number.MAX_VALUE) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);

/** The landing page's words in one language. */
interface Wording {
  none: string;
  count(n: number): string;
  updated(day: string): string;
  stale(since: string, why: string): string;
}
const ENGLISH: Wording = {
  none: 'No components are configured yet.',
  count: (n) => (n === 1 ? '1 page' : `${n} pages`),
  updated: (d) => `last updated ${d}`,
  stale: (since, why) => `> **Stale since ${since} UTC** — this component could not be updated${why ? `: ${why}` : ''}. The site shows its last good copy.`,
};
const CHINESE: Wording = {
  none: '尚未配置任何组件。',
  count: (n) => `${n} 页`,
  updated: (d) => `最近更新 ${d}`,
  stale: (since, why) => `> **自 ${since} UTC 起未能更新**，显示的是最近一次成功的版本。${why ? `原因：${why}` : ''}`,
};

/** First page of a component's sidebar under `root` (`<id>` or `en/<id>`), the way the component switcher links it. */
function firstPage(root: string, pages: readonly ManifestPage[]): string | undefined {
  const first = (items: SidebarItem[]): string | undefined => {
    for (const item of items) {
      const slug = 'slug' in item ? item.slug : first(item.items);
      if (slug !== undefined) return slug;
    }
    return undefined;
  };
  return first(sourceSidebar(root, pages));
}

/**
 * A home page of the site: `/` (locale "root", every component, all its pages counted) or `/en/`
 * (locale "en": the components with English pages, their English pages counted). Each component with
 * its description, repository, page count, when it last changed, and a visible marker when it is
 * served from its last good copy; worded in the locale's language.
 */
export function landingPage(
  config: SiteConfig,
  sources: readonly ManifestSource[],
  meta: Pick<SiteMeta, 'githubUrl' | 'sourceStatus'> = {},
  locale: 'root' | 'en' = 'root',
): string {
  const words = (config.locales[locale]?.lang ?? 'en') === 'zh-CN' ? CHINESE : ENGLISH;
  const parts: string[] = [];
  if (config.description) parts.push(escapeMarkdown(config.description));
  let listed = 0;
  for (const source of sources) {
    const root = locale === 'root' ? source.id : `${locale}/${source.id}`;
    const pages = locale === 'root' ? source.pages : source.pages.filter((p) => p.slug === root || p.slug.startsWith(`${root}/`));
    const first = locale === 'root' ? source.id : firstPage(root, pages);
    if (first === undefined) continue;
    listed++;
    parts.push(`## [${escapeMarkdown(source.title)}](${slugToUrl(first)})`);
    if (source.description) parts.push(escapeMarkdown(source.description));
    const status = meta.sourceStatus?.[source.id];
    const facts = [words.count(pages.filter((p) => !p.generated).length), ...(source.repo ? [repoLink(source.repo, meta.githubUrl)] : [])];
    if (status?.lastUpdated) facts.push(words.updated(day(status.lastUpdated)));
    parts.push(facts.join(' · '));
    if (status?.staleSince) {
      parts.push(words.stale(escapeMarkdown(status.staleSince.replace('T', ' ').slice(0, 16)), status.error ? escapeMarkdown(status.error.slice(0, 160)) : ''));
    }
  }
  if (listed === 0) parts.push(words.none);
  const front = { title: config.title, slug: locale === 'root' ? 'index' : locale, template: 'splash' as const };
  return markdownFile(config.description ? { ...front, description: config.description } : front, parts.join('\n\n'));
}

/** A component's generated index page in one language. */
const INDEX_WORDS: Record<'zh-CN' | 'en', { repo: string; empty: string }> = {
  'zh-CN': { repo: '源仓库：', empty: '该组件还没有页面。' },
  en: { repo: 'Source repository: ', empty: 'This component has no pages yet.' },
};

/**
 * Pages for `/<source id>/` and `/en/<source id>/` where the source has no readme or index at its root:
 * one for the site's default language (`rootLang`), listing that language's pages, and one for English
 * when the source has English pages (`en/<id>/…`), worded in their language and translations of each
 * other. `pages` are the site's pages; slugs already taken get no generated page.
 */
export function sourceIndexPages(source: SourceConfig, pages: readonly Page[], rootLang: 'zh-CN' | 'en' = 'zh-CN'): Page[] {
  const taken = new Set(pages.map((p) => p.slug));
  const own = pages.filter((p) => p.source === source.id);
  const out: Page[] = [];
  for (const lang of [rootLang, 'en'] as const) {
    const root = lang === rootLang ? source.id : `en/${source.id}`;
    if (out.some((p) => p.slug === root) || taken.has(root)) continue;
    const listed = own
      .filter((p) => (p.lang ?? rootLang) === lang && p.slug.startsWith(`${root}/`))
      .map((p): ManifestPage => (p.order === undefined ? { slug: p.slug, title: p.title } : { slug: p.slug, title: p.title, order: p.order }))
      .sort(byOrder);
    if (lang !== rootLang && listed.length === 0) continue;
    const words = INDEX_WORDS[lang];
    const parts: string[] = [];
    if (source.description) parts.push(escapeMarkdown(source.description));
    if (source.repo) parts.push(`${words.repo}${repoLink(`${source.repo.owner}/${source.repo.name}`)}`);
    parts.push(listed.length ? listed.map((p) => `- [${escapeMarkdown(p.title)}](${slugToUrl(p.slug)})`).join('\n') : words.empty);
    const page: Page = { source: source.id, slug: root, file: GENERATED, title: source.title, body: parts.join('\n\n'), order: 0, translationKey: source.id };
    if (lang !== rootLang) page.lang = lang;
    if (source.description !== undefined) page.description = source.description;
    out.push(page);
  }
  return out;
}
