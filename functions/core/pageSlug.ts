import { slug as githubSlug } from 'github-slugger';
import { posix } from 'node:path';
import type { Lang, LanguageSettings, SourceConfig } from './types.ts';

const MARKDOWN = /\.(md|markdown)$/i;
const INDEX_NAMES = new Set(['readme', 'index']);
export const DEFAULT_LANGUAGES: LanguageSettings = { layout: 'auto', default: 'zh-CN' };

/** Folder names that hold one language's files (compared in lower case). */
const LANGUAGE_FOLDERS: Record<string, Lang> = {
  zh: 'zh-CN',
  'zh-cn': 'zh-CN',
  zh_cn: 'zh-CN',
  'zh-hans': 'zh-CN',
  zh_hans: 'zh-CN',
  'zh-hans-cn': 'zh-CN',
  en: 'en',
  'en-us': 'en',
  en_us: 'en',
  'en-gb': 'en',
  en_gb: 'en',
};
/** `readme_en`, `README-zh`, `faq.en`, `README_zh-CN`, `README_CN`: the name, then the language. */
const SUFFIX = /^(.+?)[._-](en|en[-_]us|en[-_]gb|zh|zh[-_]cn|zh[-_]hans|cn)$/i;
const suffixLang = (tag: string): Lang => (tag.toLowerCase().startsWith('en') ? 'en' : 'zh-CN');

/** The language a folder name stands for (`zh`, `zh-CN`, `en-us`…), if any. */
export const languageOfFolder = (name: string): Lang | undefined => LANGUAGE_FOLDERS[name.toLowerCase()];

/** A file name (without extension) split into name and language suffix: `faq_en` → `faq`, en. */
export function languageSuffix(name: string): { name: string; lang: Lang } | undefined {
  const m = SUFFIX.exec(name);
  return m?.[1] !== undefined && m[2] !== undefined ? { name: m[1], lang: suffixLang(m[2]) } : undefined;
}

/**
 * Where a file is published. `marker` says how its language was found: a language folder, a name
 * suffix, a translated sibling (`README.md` next to `README_zh.md` is English), or nothing (default).
 */
export interface PagePlace {
  /** `<source>/<path>` for pages in the language at `/`, `en/<source>/<path>` or `zh/<source>/<path>` for the other (languagePrefix). */
  slug: string;
  lang: Lang;
  /** The slug without its language prefix: a page and its translation share it. */
  translationKey: string;
  marker: 'folder' | 'suffix' | 'sibling' | 'none';
  /** The file is its folder's page (`readme.md`, `index.md`, `readme_en.md`…). */
  index: boolean;
}

/**
 * The path of `file` (relative to the repo root) under the docs folder that contains it, or
 * undefined when no docs folder contains it. `.` is the repo root.
 */
export function docsFolderOf(file: string, paths: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const folder of paths) {
    const prefix = folder === '.' ? '' : `${folder.replace(/\/+$/, '')}/`;
    if (file.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : best === '' ? '.' : best.slice(0, -1);
}

/** Path segments of a markdown file under its docs folder (prefixed by the folder when there are several). */
function segmentsOf(file: string, paths: readonly string[]): string[] | undefined {
  if (!MARKDOWN.test(file)) return undefined;
  const folder = docsFolderOf(file, paths);
  if (folder === undefined) return undefined;
  const inside = folder === '.' ? file : file.slice(folder.length + 1);
  const segments = inside.replace(MARKDOWN, '').split('/');
  if (paths.length > 1 && folder !== '.') segments.unshift(...folder.split('/'));
  return segments;
}

/** The language at the site's `/`: its pages' slugs have no language prefix (see SiteLanguages). */
export const rootLanguage = (languages: LanguageSettings | undefined): Lang => languages?.site?.languages[0] ?? 'zh-CN';

/** URL prefix (and Starlight locale key) of a language that is not at the site's `/`. */
const PREFIX: Record<Lang, string> = { 'zh-CN': 'zh', en: 'en' };

/**
 * The first URL segment of `lang`'s pages: none for the language at `/` (`root`), `en` for English
 * (`/en/…`), `zh` for Chinese (`/zh/…`) otherwise. The one place that decides where a language lives.
 */
export const languagePrefix = (lang: Lang, root: Lang): string | undefined => (lang === root ? undefined : PREFIX[lang]);

/** `slug` under `lang`'s prefix (see languagePrefix). */
export const prefixed = (slug: string, lang: Lang, root: Lang): string => {
  const prefix = languagePrefix(lang, root);
  return prefix === undefined ? slug : slug === '' ? prefix : `${prefix}/${slug}`;
};

function slugOf(sourceId: string, segments: string[], lang: Lang, root: Lang): { slug: string; translationKey: string; index: boolean } {
  const rest = [...segments];
  const last = rest[rest.length - 1];
  const index = last !== undefined && INDEX_NAMES.has(last.toLowerCase());
  if (index) rest.pop();
  const translationKey = [sourceId, ...rest.map((s) => githubSlug(s)).filter((s) => s !== '')].join('/');
  return { slug: prefixed(translationKey, lang, root), translationKey, index };
}

/**
 * Where each markdown file of a source is published, with its language. The URL path is the file's
 * path under its docs folder (under `<folder>/` when the source lists several docs folders), without
 * `.md`, each segment slugged the way Starlight (Astro's glob loader) does; a folder's `readme.md` or
 * `index.md` is that folder's page. Language (`source.languages`, default layout `auto`, default
 * language zh-CN):
 * - `folders`/`auto`: the first folder named `zh`, `zh-cn`, `zh-hans`, `en`, `en-us`… (any case, any
 *   depth) gives the language and leaves the path: `docs/zh/a.md` → `fc/a`, `docs/en/a.md` → `en/fc/a`.
 * - `suffix`/`auto` (when no language folder): `a_en.md`, `a-zh.md`, `a.zh-CN.md`, `a_CN.md`… give the
 *   language and lose the suffix; an unmarked `a.md` whose only translations are in the default
 *   language is in the other one (`README.md` + `README_zh.md`: README.md is English).
 * - otherwise the default language. Slugs of the language not at the site's `/` start with `en/` or
 *   `zh/` (languagePrefix); both share `translationKey`.
 * Files outside every docs folder or not markdown, and pages in a language the site does not have
 * (`languages.site`), are left out.
 */
export function pagePlaces(
  source: { id: string; paths: readonly string[]; languages?: SourceConfig['languages'] },
  files: Iterable<string>,
): Map<string, PagePlace> {
  const { layout, default: defaultLang, site } = source.languages ?? DEFAULT_LANGUAGES;
  const root = rootLanguage(source.languages);
  const useFolders = layout === 'auto' || layout === 'folders';
  const useSuffix = layout === 'auto' || layout === 'suffix';
  const found: Array<{ file: string; segments: string[]; lang?: Lang; marker: PagePlace['marker'] }> = [];
  /** `<dir>/<lower-case name>` → languages of its suffixed translations. */
  const translated = new Map<string, Set<Lang>>();
  for (const file of files) {
    const segments = segmentsOf(file, source.paths);
    if (!segments) continue;
    const folderAt = useFolders ? segments.findIndex((s, i) => i < segments.length - 1 && LANGUAGE_FOLDERS[s.toLowerCase()] !== undefined) : -1;
    const folderSegment = segments[folderAt];
    if (folderSegment !== undefined) {
      segments.splice(folderAt, 1);
      found.push({ file, segments, lang: LANGUAGE_FOLDERS[folderSegment.toLowerCase()]!, marker: 'folder' });
      continue;
    }
    const m = useSuffix ? languageSuffix(segments[segments.length - 1] ?? '') : undefined;
    if (m) {
      const { lang } = m;
      segments[segments.length - 1] = m.name;
      const key = `${posix.dirname(file)}/${m.name.toLowerCase()}`;
      translated.set(key, (translated.get(key) ?? new Set()).add(lang));
      found.push({ file, segments, lang, marker: 'suffix' });
      continue;
    }
    found.push({ file, segments, marker: 'none' });
  }
  const other: Lang = defaultLang === 'en' ? 'zh-CN' : 'en';
  const places = new Map<string, PagePlace>();
  for (const { file, segments, lang, marker } of found) {
    let place: { lang: Lang; marker: PagePlace['marker'] } = { lang: lang ?? defaultLang, marker };
    if (lang === undefined && useSuffix) {
      const name = posix.basename(file).replace(MARKDOWN, '').toLowerCase();
      const langs = translated.get(`${posix.dirname(file)}/${name}`);
      if (langs?.size === 1 && langs.has(defaultLang)) place = { lang: other, marker: 'sibling' };
    }
    if (site && !site.languages.includes(place.lang)) continue;
    places.set(file, { ...slugOf(source.id, segments, place.lang, root), ...place });
  }
  return places;
}

/**
 * A page's URL slug (see pagePlaces; suffix siblings are not considered for a lone file). Returns
 * undefined for files outside every docs folder or not markdown.
 */
export function pageSlug(sourceId: string, paths: readonly string[], file: string, languages?: LanguageSettings): string | undefined {
  return pagePlaces({ id: sourceId, paths, ...(languages ? { languages } : {}) }, [file]).get(file)?.slug;
}

/** The site URL of a slug: `/<slug>/`. */
export function slugToUrl(slug: string): string {
  return `/${slug.split('/').map(encodeURIComponent).join('/')}/`;
}

/** Resolve a relative link target against the file it appears in (both repo-root relative). */
export function resolveRelative(fromFile: string, target: string): string {
  return posix.normalize(posix.join(posix.dirname(fromFile), target));
}

/** The language of `file` when it is left out only because the site does not have that language. */
export function excludedLanguage(source: { id: string; paths: readonly string[]; languages?: SourceConfig['languages'] }, file: string): Lang | undefined {
  const site = source.languages?.site;
  if (!site) return undefined;
  const { site: _all, ...own } = source.languages!;
  const place = pagePlaces({ id: source.id, paths: source.paths, languages: own }, [file]).get(file);
  return place && !site.languages.includes(place.lang) ? place.lang : undefined;
}
