import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import frontMatterTitle from './plugins/frontMatterTitle.ts';
import relativeLinks from './plugins/relativeLinks.ts';
import sanitizeHtml from './plugins/sanitizeHtml.ts';

/**
 * The markdown pipeline: parse (CommonMark + GFM + YAML front matter), take the page fields from the
 * front matter / first H1, rewrite relative links, sanitise raw HTML, and print markdown again.
 * Per-file input comes through `file.data` (see transformData.ts). Returns a frozen processor.
 */
export function createProcessor() {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm, { tablePipeAlign: false })
    .use(frontMatterTitle)
    .use(relativeLinks)
    .use(sanitizeHtml)
    .use(remarkStringify, { bullet: '-', fence: '`', fences: true, listItemIndent: 'one', rule: '-' })
    .freeze();
}

/** The one processor every transform uses: created once, reused for every file. */
export const processor = createProcessor();
