import GithubSlugger from 'github-slugger';
import type { Heading, Nodes, Root } from 'mdast';
import type { VFile } from 'vfile';
import { tokenizeHtml } from '../html/tokenizeHtml.ts';
import { headingText, type Outline } from '../outline.ts';
import { transformData } from '../transformData.ts';
import { decodeCharacterReferences } from '../urlSafety.ts';

/**
 * The page's link targets as the site will have them (`file.data.outline`): heading ids the way
 * Astro makes them (github-slugger over each heading's text, in document order, `-1`, `-2`… for
 * repeats), mapped from the ids GitHub gave the same headings, plus `id`/`name` of raw HTML.
 * Runs after the title is taken out and raw HTML is sanitised, so it sees what the site renders.
 */
export default function siteOutline() {
  return (tree: Root, file: VFile): void => {
    const data = transformData(file);
    const slugger = new GithubSlugger();
    const siteIds = new Map<Heading, string>();
    const outline: Outline = { github: new Map(), site: [], html: new Set() };
    const walk = (n: Nodes): void => {
      if (n.type === 'heading') {
        const id = slugger.slug(headingText(n, 'site'));
        siteIds.set(n, id);
        outline.site.push(id);
      }
      if (n.type === 'html') {
        for (const t of tokenizeHtml(n.value)) {
          if (t.type !== 'start') continue;
          for (const a of t.attributes) {
            if ((a.name === 'id' || a.name === 'name') && a.value) outline.html.add(decodeCharacterReferences(a.value));
          }
        }
      }
      if ('children' in n) for (const c of n.children) walk(c);
    };
    walk(tree);
    // GFM footnotes end with a generated <h2 id="footnote-label"> section when a defined note is referenced.
    const defined = new Set<string>();
    const referenced = new Set<string>();
    const notes = (n: Nodes): void => {
      if (n.type === 'footnoteDefinition') defined.add(n.identifier);
      if (n.type === 'footnoteReference') referenced.add(n.identifier);
      if ('children' in n) for (const c of n.children) notes(c);
    };
    notes(tree);
    if ([...referenced].some((id) => defined.has(id))) outline.site.push('footnote-label');
    for (const [heading, githubId] of data.githubIds ?? []) {
      if (!outline.github.has(githubId)) outline.github.set(githubId, siteIds.get(heading) ?? '');
    }
    data.outline = outline;
  };
}
