/**
 * The site's languages (sources file key `site`): which languages it has, which one is at `/`, and
 * how the language select names them. Absent = today's Chinese-first site: Chinese at `/`, English
 * at `/en/` when some pages are English. The default language is at `/`, the other one (if any) at
 * `/en/` (English) or `/zh/` (Chinese): see languagePrefix in pageSlug.ts. A one-language site is in
 * that language throughout (UI, home page, generated pages, search) and has no language select;
 * pages in a language the site does not have are left out.
 */
import { z } from 'zod';
import type { Lang } from '../types.ts';

export interface SiteLanguages {
  /** The site's languages, the one at `/` first. */
  languages: Lang[];
  /** Label of each language in the language select. */
  labels: Partial<Record<Lang, string>>;
}

/** What a site without a `site` setting gets (and has always had). */
export const DEFAULT_SITE_LANGUAGES: SiteLanguages = { languages: ['zh-CN', 'en'], labels: { 'zh-CN': '简体中文', en: 'English' } };

const code = z
  .string({ error: 'must be zh-CN or en' })
  .refine((l) => ['zh-cn', 'zh', 'en'].includes(l.toLowerCase()), { message: 'must be zh-CN or en' })
  .transform((l): Lang => (l.toLowerCase() === 'en' ? 'en' : 'zh-CN'));

export const siteSchema = z
  .object({
    languages: z
      .array(z.object({ code, label: z.string().min(1).optional() }).strict(), { error: 'must be a list such as [{ code: en, label: English }]' })
      .min(1, 'must list at least one language, e.g. [{ code: en, label: English }]')
      .max(2, 'at most two languages (zh-CN and en)'),
    defaultLanguage: code.optional(),
  })
  .strict()
  .superRefine((site, ctx) => {
    const codes = site.languages.map((l) => l.code);
    if (codes.length === 0 || codes.some((c) => c !== 'en' && c !== 'zh-CN')) return; // already reported
    if (new Set(codes).size !== codes.length) ctx.addIssue({ code: 'custom', path: ['languages'], message: 'lists a language twice' });
    const root = site.defaultLanguage ?? codes[0]!;
    if (!codes.includes(root)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultLanguage'],
        message: `${root} is not in site.languages: add it there, or pick one of ${codes.join(', ')}`,
      });
    }
  })
  .transform((site): SiteLanguages => {
    const root = site.defaultLanguage ?? site.languages[0]!.code;
    const languages = [root, ...site.languages.map((l) => l.code).filter((c) => c !== root)];
    const labels: SiteLanguages['labels'] = {};
    for (const l of site.languages) labels[l.code] = l.label ?? DEFAULT_SITE_LANGUAGES.labels[l.code]!;
    return { languages, labels };
  });

/** The site's languages as every source carries them (see parseSources); the default when none do. */
export function siteLanguagesOf(sources: ReadonlyArray<{ languages?: { site?: SiteLanguages } }>): SiteLanguages {
  return sources.find((s) => s.languages?.site)?.languages?.site ?? DEFAULT_SITE_LANGUAGES;
}
