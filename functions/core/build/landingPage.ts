import { escapeHtml } from '../http/escapeHtml.ts';
import { slugToUrl } from '../pageSlug.ts';
import { markdownFile, oneLine } from './markdownFile.ts';
import type { ManifestPage, ManifestSource, SiteConfig, SiteMeta } from './siteManifest.ts';
import { sourceSidebar, type SidebarItem } from './sourceSidebar.ts';
import { isOldVersion } from './versionLinks.ts';

/** The landing page's words in one language. */
interface Wording {
  none: string;
  summary(components: number, pages: number): string;
  count(n: number): string;
  updated(day: string): string;
  stale(since: string, why: string): string;
}
const ENGLISH: Wording = {
  none: 'No components are configured yet.',
  summary: (c, p) => `${c === 1 ? '1 component' : `${c} components`}, ${p === 1 ? '1 page' : `${p} pages`}, each kept in step with its own repository.`,
  count: (n) => (n === 1 ? '1 page' : `${n} pages`),
  updated: (d) => `last updated ${d}`,
  stale: (since, why) => `Stale since ${since} UTC: this component could not be updated${why ? ` (${why})` : ''}. The site shows its last good copy.`,
};
const CHINESE: Wording = {
  none: '尚未配置任何组件。',
  summary: (c, p) => `${c} 个组件，${p} 页文档，与各自的源仓库保持同步。`,
  count: (n) => `${n} 页`,
  updated: (d) => `最近更新 ${d}`,
  stale: (since, why) => `自 ${since} UTC 起未能更新，显示的是最近一次成功的版本。${why ? `原因：${why}` : ''}`,
};

/** One line of text, escaped for HTML. */
const text = (value: string): string => escapeHtml(oneLine(value));
const day = (iso: string): string => iso.slice(0, 10);

/** First page of a component's sidebar under `root` (`<id>`, `en/<id>` or `zh/<id>`), the way the component switcher links it. */
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
 * (`/zh/`) (locale "en" or "zh": the components with pages in it, those pages counted), worded in the
 * locale's language. A hero with the site's description (or a summary of what it holds), then one card
 * per component: its title linking to its first page, description, page count, repository, when it last
 * changed, and a visible marker when it is served from its last good copy. The cards are an HTML block
 * (styled by site/src/styles/landing.css); every text in it is escaped. Returns the markdown file and
 * the hero's tagline.
 */
export function landingPage(
  config: SiteConfig,
  sources: readonly ManifestSource[],
  meta: Pick<SiteMeta, 'githubUrl' | 'sourceStatus'> = {},
  locale = 'root',
): { text: string; tagline: string } {
  const words = (config.locales[locale]?.lang ?? 'en') === 'zh-CN' ? CHINESE : ENGLISH;
  const githubUrl = meta.githubUrl ?? 'https://github.com';
  const cards: string[] = [];
  let total = 0;
  for (const source of sources) {
    // One card per component: its old versions are reached from its pages' version switcher.
    if (isOldVersion(source)) continue;
    const root = locale === 'root' ? source.id : `${locale}/${source.id}`;
    const pages = locale === 'root' ? source.pages : source.pages.filter((p) => p.slug === root || p.slug.startsWith(`${root}/`));
    const first = locale === 'root' ? source.id : firstPage(root, pages);
    if (first === undefined) continue;
    const count = pages.filter((p) => !p.generated).length;
    total += count;
    const status = meta.sourceStatus?.[source.id];
    const facts = [`<span>${text(words.count(count))}</span>`];
    if (source.repo) facts.push(`<a href="${text(`${githubUrl}/${source.repo}`)}">${text(source.repo)}</a>`);
    if (status?.lastUpdated) facts.push(`<span>${text(words.updated(day(status.lastUpdated)))}</span>`);
    const card = [
      `<li class="ds-card${status?.staleSince ? ' ds-card-stale' : ''}">`,
      `<a class="ds-card-title" href="${text(slugToUrl(first))}">${text(source.title)}</a>`,
    ];
    if (source.description) card.push(`<p class="ds-card-description">${text(source.description)}</p>`);
    card.push(`<p class="ds-card-facts">${facts.join('<span aria-hidden="true"> · </span>')}</p>`);
    if (status?.staleSince) {
      const since = status.staleSince.replace('T', ' ').slice(0, 16);
      card.push(`<p class="ds-card-stale" role="status">${text(words.stale(since, status.error ? status.error.slice(0, 160) : ''))}</p>`);
    }
    cards.push(`${card.join('\n')}\n</li>`);
  }
  const body = cards.length ? `<ul class="ds-cards">\n${cards.join('\n')}\n</ul>` : text(words.none);
  const tagline = config.description ?? words.summary(cards.length, total);
  const front = { title: config.title, slug: locale === 'root' ? 'index' : locale, template: 'splash' as const };
  return { text: markdownFile(config.description ? { ...front, description: config.description } : front, body), tagline };
}
