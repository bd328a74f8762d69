/**
 * What a page body may contain once it is final (sanitizeBody.ts): the HTML that Starlight (asides with
 * their svg icons, heading anchor links) and Expressive Code emit for markdown, plus the inline HTML
 * these docs use (`<br>`, `<img>`, `<font>`, `<center>`, `<details>`, tables, `<kbd>`, `<sup>`…). A
 * hast-util-sanitize schema: elements not listed are unwrapped (their text stays), those in `strip`
 * go with everything inside them; attributes are hast property names. Everything else about safety that
 * a schema cannot say (styles, id prefixes, link targets) is done by sanitizeBody.ts.
 */
import type { Schema } from 'hast-util-sanitize';

type PropertyDefinition = NonNullable<Schema['attributes']>[string][number];

/** Class names the body may use: the ones Starlight and Expressive Code put there, nothing an author could position with. */
export const BODY_CLASS = new RegExp(
  '^(?:' +
    [
      'sl-heading-wrapper', 'sl-anchor-link', 'sl-anchor-icon', 'level-h[1-6]', 'sr-only', 'not-content',
      'starlight-aside', 'starlight-aside--(?:note|tip|caution|danger)', 'starlight-aside__(?:title|icon|content)',
      // Expressive Code (every class its stylesheet knows).
      'expressive-code', 'frame', 'has-title', 'is-terminal', 'header', 'title', 'copy', 'feedback', 'show', 'ec-line',
      'code', 'gutter', 'highlight', 'mark', 'ins', 'del', 'indent', 'wrap', 'tm-label', 'open-start', 'open-end', 'ln',
      // Markdown: code languages, GFM footnotes and task lists.
      'language-[\\w+#.-]+', 'footnotes', 'data-footnote-backref', 'contains-task-list', 'task-list-item',
    ].join('|') +
    ')$',
);

const text: PropertyDefinition[] = ['align', 'dir', 'lang', 'title', 'style', 'id', ['className', BODY_CLASS], 'ariaHidden', 'ariaLabel'];
const table = ['width', 'height', 'border', 'bgColor', 'cellPadding', 'cellSpacing', 'vAlign', 'colSpan', 'rowSpan', 'scope', 'headers', 'span', 'abbr', 'noWrap'];

export const BODY_SCHEMA: Schema = {
  tagNames: [
    'a', 'abbr', 'aside', 'audio', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'button', 'caption', 'center', 'cite',
    'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'input', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'picture', 'pre',
    'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'source', 'span', 'strike', 'strong', 'sub', 'summary', 'sup',
    'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul', 'var', 'video', 'wbr',
    // Starlight's aside and heading-link icons.
    'svg', 'path',
  ],
  // Gone with their content: code, raw text, and containers whose content is not the page's.
  strip: [
    'script', 'style', 'template', 'noscript', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext',
    'object', 'embed', 'applet', 'select', 'option', 'math', 'frameset', 'frame', 'head', 'link', 'meta', 'base',
  ],
  ancestors: {
    tbody: ['table'], td: ['table'], th: ['table'], thead: ['table'], tfoot: ['table'], tr: ['table'], caption: ['table'],
    col: ['table'], colgroup: ['table'], path: ['svg'], summary: ['details'], source: ['video', 'audio', 'picture'],
  },
  attributes: {
    '*': text,
    a: ['href', 'name', 'target', 'rel', 'dataFootnoteRef', 'dataFootnoteBackref', 'ariaDescribedBy'],
    img: ['src', 'srcSet', 'sizes', 'alt', 'width', 'height', 'loading', 'decoding', 'border', 'hSpace', 'vSpace'],
    source: ['src', 'srcSet', 'sizes', 'type', 'media'],
    video: ['src', 'poster', 'controls', 'autoPlay', 'loop', 'muted', 'playsInline', 'preload', 'width', 'height'],
    audio: ['src', 'controls', 'loop', 'muted', 'preload'],
    font: ['color', 'face', 'size'],
    details: ['open'],
    ol: ['start', 'reversed', 'type'],
    ul: ['type'],
    li: ['value'],
    blockquote: ['cite'], q: ['cite'], del: ['cite', 'dateTime'], ins: ['cite', 'dateTime'],
    table, td: table, th: table, tr: table, col: table, colgroup: table, tbody: table, thead: table, tfoot: table,
    hr: ['width', 'size', 'noShade'],
    pre: ['dataLanguage', 'tabIndex'],
    div: ['ariaLive'],
    span: ['dataPagefindIgnore'],
    // Expressive Code's copy button (its script copies `data-code`).
    button: ['dataCode', 'dataCopied'],
    section: ['dataFootnotes'],
    input: [['type', 'checkbox'], ['disabled', true], 'checked'],
    svg: ['viewBox', 'width', 'height', 'fill'],
    path: ['d', 'fill', 'fillRule', 'clipRule'],
  },
  required: { input: { type: 'checkbox', disabled: true } },
  // Only these schemes; a value with no scheme (relative, `#anchor`) is allowed. Checked on decoded values;
  // sanitizeBody.ts narrows `data:` to raster images on <img>/<source>.
  protocols: { href: ['http', 'https', 'mailto'], src: ['http', 'https', 'data'], srcSet: ['http', 'https', 'data'], poster: ['http', 'https'], cite: ['http', 'https'] },
  // Ids and names are prefixed by sanitizeBody.ts (anchors pointing at them follow).
  clobber: [],
  allowComments: false,
  allowDoctypes: false,
};
