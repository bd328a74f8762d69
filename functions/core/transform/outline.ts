import { slug as githubSlug } from 'github-slugger';
import type { Heading, Nodes } from 'mdast';
import { tokenizeHtml } from './html/tokenizeHtml.ts';
import { decodeCharacterReferences } from './urlSafety.ts';

/**
 * The link targets of one page: its headings' ids as GitHub makes them for the source file (what
 * authors link to) and as the site makes them, plus `id`/`name` attributes of raw HTML elements.
 */
export interface Outline {
  /** GitHub heading id → the site's id for that heading; '' for a heading that became the page title. */
  github: Map<string, string>;
  /** Heading ids on the site, in document order. */
  site: string[];
  /** `id` and `name` attributes kept in raw HTML (`<a name="x">`). */
  html: Set<string>;
}

/** Text of the text tokens of a raw HTML fragment, character references decoded (tags left out). */
export function htmlText(value: string): string {
  return tokenizeHtml(value)
    .map((t) => (t.type === 'text' ? decodeCharacterReferences(t.raw) : ''))
    .join('');
}

/**
 * A heading's text as its id is made from it. `github`: the text content GitHub renders (tags of
 * inline HTML removed, image alt text left out). `site`: the same as Astro's Markdown processor
 * (Sätteri) sees it in the transformed page: with smart punctuation, so `--` and `---` outside code
 * become dashes, which github-slugger then drops.
 */
export function headingText(heading: Heading, flavour: 'github' | 'site'): string {
  const smart = (s: string): string => (flavour === 'site' ? s.replace(/-{2,}/g, '') : s);
  const parts: string[] = [];
  const walk = (n: Nodes): void => {
    if (n.type === 'text') parts.push(smart(n.value));
    else if (n.type === 'inlineCode') parts.push(n.value);
    else if (n.type === 'html') parts.push(smart(htmlText(n.value)));
    else if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(heading);
  return parts.join('');
}

function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/**
 * The site fragment for a link fragment written for GitHub (`#参数解析-1`, `#%E5%BF%AB`, `#Examples`,
 * `#my-anchor`): '' means the top of the page (the heading became the title); undefined: no such
 * target. Tried in order: GitHub heading ids, HTML anchors, site ids, the same case-insensitively,
 * the fragment slugged like a heading, and last one target whose id differs only in hyphens (`#OSS触发器`
 * for the heading `OSS 触发器`, id `oss-触发器`: a common slip that GitHub does not forgive either).
 */
export function findAnchor(outline: Outline, fragment: string): string | undefined {
  const f = decodeFragment(fragment);
  if (f === '' || f === '_top') return f;
  const exact = outline.github.get(f) ?? (outline.html.has(f) || outline.site.includes(f) ? f : undefined);
  if (exact !== undefined) return exact;
  const lower = f.toLowerCase();
  const github = outline.github.get(lower);
  if (github !== undefined) return github;
  for (const id of [...outline.html, ...outline.site]) if (id.toLowerCase() === lower) return id;
  const slugged = githubSlug(f);
  if (slugged === '') return undefined;
  const bySlug = outline.github.get(slugged) ?? (outline.site.includes(slugged) ? slugged : undefined);
  if (bySlug !== undefined) return bySlug;
  const loose = (s: string): string => s.toLowerCase().replace(/-/g, '');
  const wanted = loose(slugged);
  const found = new Set<string>();
  for (const [id, site] of outline.github) if (loose(id) === wanted) found.add(site);
  for (const id of [...outline.html, ...outline.site]) if (loose(githubSlug(id)) === wanted) found.add(id);
  return found.size === 1 ? [...found][0] : undefined;
}
