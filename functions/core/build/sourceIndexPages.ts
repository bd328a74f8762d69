import { prefixed, slugToUrl } from '../pageSlug.ts';
import type { Page, SourceConfig } from '../types.ts';
import { escapeMarkdown } from './markdownFile.ts';
import { GENERATED, type ManifestPage } from './siteManifest.ts';

const repoLink = (repo: string, githubUrl = 'https://github.com'): string => `[${escapeMarkdown(repo)}](${githubUrl}/${repo})`;
const byOrder = (a: ManifestPage, b: ManifestPage): number =>
  (a.order ?? Number.MAX_VALUE) - (b.order ?? Number.MAX_VALUE) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);

/** A component's generated index page in one language. */
const INDEX_WORDS: Record<'zh-CN' | 'en', { repo: string; empty: string }> = {
  'zh-CN': { repo: '源仓库：', empty: '该组件还没有页面。' },
  en: { repo: 'Source repository: ', empty: 'This component has no pages yet.' },
};

/**
 * Pages for `/<source id>/` and `/en/<source id>/` (`/zh/…`) where the source has no readme or index at
 * its root: one for the site's default language (`rootLang`), listing that language's pages, and one
 * for the other language when the source has pages in it (`en/<id>/…`, `zh/<id>/…`), worded in their language and translations of each
 * other. `pages` are the site's pages; slugs already taken get no generated page. `githubUrl`: the
 * GitHub web host of repository links (GitHub Enterprise), default https://github.com.
 */
export function sourceIndexPages(source: SourceConfig, pages: readonly Page[], rootLang: 'zh-CN' | 'en' = 'zh-CN', githubUrl?: string): Page[] {
  const taken = new Set(pages.map((p) => p.slug));
  const own = pages.filter((p) => p.source === source.id);
  const out: Page[] = [];
  for (const lang of [rootLang, rootLang === 'en' ? 'zh-CN' : 'en'] as const) {
    const root = prefixed(source.id, lang, rootLang);
    if (out.some((p) => p.slug === root) || taken.has(root)) continue;
    const listed = own
      .filter((p) => (p.lang ?? rootLang) === lang && p.slug.startsWith(`${root}/`))
      .map((p): ManifestPage => (p.order === undefined ? { slug: p.slug, title: p.title } : { slug: p.slug, title: p.title, order: p.order }))
      .sort(byOrder);
    if (lang !== rootLang && listed.length === 0) continue;
    const words = INDEX_WORDS[lang];
    const parts: string[] = [];
    if (source.description) parts.push(escapeMarkdown(source.description));
    if (source.repo) parts.push(`${words.repo}${repoLink(`${source.repo.owner}/${source.repo.name}`, githubUrl)}`);
    parts.push(listed.length ? listed.map((p) => `- [${escapeMarkdown(p.title)}](${slugToUrl(p.slug)})`).join('\n') : words.empty);
    const page: Page = { source: source.id, slug: root, file: GENERATED, title: source.title, body: parts.join('\n\n'), order: 0, translationKey: source.id };
    if (lang !== rootLang) page.lang = lang;
    if (source.description !== undefined) page.description = source.description;
    out.push(page);
  }
  return out;
}
