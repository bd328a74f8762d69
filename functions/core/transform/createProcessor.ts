import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { remark } from 'remark';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import codeMeta from './plugins/codeMeta.ts';
import directives from './plugins/directives.ts';
import frontMatterTitle from './plugins/frontMatterTitle.ts';
import githubHeadingIds from './plugins/githubHeadingIds.ts';
import rewriteLinks from './plugins/rewriteLinks.ts';
import sanitizeHtml from './plugins/sanitizeHtml.ts';
import siteOutline from './plugins/siteOutline.ts';

/**
 * The markdown pipeline, in two frozen processors so a whole source can be outlined before any link
 * is rewritten (links need the heading ids of the pages they point to). Per-file input comes through
 * `file.data` (see transformData.ts).
 *
 * First (`remark`: remark-parse and remark-stringify): parse (CommonMark + GFM + YAML front matter + directives, which the site's
 * renderer parses too: Starlight's asides `:::tip[Title]` print back intact, and raw HTML in them is seen here), note GitHub's heading ids, take the page fields
 * from the front matter / first H1, sanitise raw HTML, drop code block options the site's renderer
 * cannot take, work out the site's heading ids.
 */
export function createOutlineProcessor() {
  return remark()
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm, { tablePipeAlign: false })
    .use(directives)
    .use(githubHeadingIds)
    .use(frontMatterTitle)
    .use(sanitizeHtml)
    .use(codeMeta)
    .use(siteOutline)
    .freeze();
}

/** Then, on the outlined tree: rewrite links (relative, cross-source, anchors) and print markdown again. */
export function createLinkProcessor() {
  return unified()
    .use(remarkFrontmatter, ['yaml']) // for their printing extensions
    .use(remarkGfm, { tablePipeAlign: false })
    .use(directives)
    .use(rewriteLinks)
    .use(remarkStringify, { bullet: '-', fence: '`', fences: true, listItemIndent: 'one', rule: '-' })
    .freeze();
}
