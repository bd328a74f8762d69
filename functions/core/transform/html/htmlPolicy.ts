/**
 * What raw HTML may stay in a page. Tags in ALLOWED_TAGS are kept with ALLOWED_ATTRIBUTES only;
 * tags in DROPPED_TAGS are removed together with their content (void ones: just the tag);
 * any other tag is shown as text, because in these docs it is nearly always a placeholder
 * such as `<region>` or `<your-function-name>`.
 */
export const ALLOWED_TAGS = new Set([
  'a',
  'abbr',
  'audio',
  'b',
  'big',
  'blockquote',
  'br',
  'caption',
  'center',
  'code',
  'col',
  'colgroup',
  'dd',
  'del',
  'details',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'font',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'li',
  'mark',
  'ol',
  'p',
  'picture',
  'pre',
  'q',
  's',
  'samp',
  'small',
  'source',
  'span',
  'strike',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'tt',
  'u',
  'ul',
  'var',
  'video',
  'wbr',
]);

/** Elements that carry or load active content; removed with everything inside them. */
export const DROPPED_TAGS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'applet',
  'embed',
  'form',
  'noscript',
  'template',
  'textarea',
  'select',
  'xmp',
  'plaintext',
  'noembed',
  'noframes',
  'svg',
  'math',
  'base',
  'link',
  'meta',
  'input',
  'button',
  'portal',
  'param',
]);

/** Elements without content or end tag. */
export const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * Allowed tags that are only taken as HTML when they carry one of these attributes; otherwise they are
 * shown as text (`--source <source>` in prose is a placeholder, not a media source).
 */
export const REQUIRED_ATTRIBUTES: Record<string, string[]> = {
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
};

export const ALLOWED_ATTRIBUTES = new Set([
  'align',
  'alt',
  'autoplay',
  'bgcolor',
  'border',
  'cellpadding',
  'cellspacing',
  'cite',
  'class',
  'color',
  'cols',
  'colspan',
  'controls',
  'datetime',
  'dir',
  'face',
  'headers',
  'height',
  'href',
  'id',
  'lang',
  'loop',
  'media',
  'muted',
  'name',
  'open',
  'playsinline',
  'poster',
  'rel',
  'reversed',
  'rowspan',
  'scope',
  'size',
  'sizes',
  'span',
  'src',
  'srcset',
  'start',
  'style',
  'summary',
  'target',
  'title',
  'type',
  'valign',
  'width',
]);

/** Attributes holding a URL; checked by isAllowedHtmlUrl (`srcset` holds a list of them). */
export const URL_ATTRIBUTES = new Set(['href', 'src', 'poster', 'cite', 'srcset']);

/** CSS that can run script or load a script URL in some browser. */
export function isDangerousStyle(decoded: string): boolean {
  const css = decoded.replace(/\/\*[\s\S]*?\*\//g, '');
  if (css.includes('\\')) return true; // CSS escapes can spell anything; not worth decoding
  return /expression\s*\(|javascript\s*:|vbscript\s*:|-moz-binding|behavior\s*:|@import|url\s*\(\s*['"]?\s*data\s*:\s*text/i.test(css);
}
