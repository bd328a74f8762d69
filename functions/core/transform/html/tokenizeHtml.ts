/**
 * A small tokenizer for raw HTML fragments in markdown (mdast `html` nodes), used by the transform's
 * sanitising pass (placeholders as text, diagnostics) and the link rewriter. Not a security boundary:
 * the page's final HTML is parsed by parse5 and sanitised as a tree (functions/core/build/sanitizeBody.ts).
 */
/** One attribute of a start tag; `value` is the raw text between the quotes (undefined: no `=`). */
export interface HtmlAttribute {
  name: string;
  value?: string;
}

export type HtmlToken =
  | { type: 'text'; raw: string; offset: number }
  | { type: 'comment'; raw: string; offset: number }
  /** `<!DOCTYPE …>`, `<?…?>`, `<![CDATA[…]]>`. */
  | { type: 'declaration'; raw: string; offset: number }
  | { type: 'start'; name: string; attributes: HtmlAttribute[]; selfClosing: boolean; raw: string; offset: number }
  | { type: 'end'; name: string; raw: string; offset: number };

const NAME = /[A-Za-z][A-Za-z0-9-]*/y;
const SPACE = /[ \t\n\r\f]*/y;
const ATTR_NAME = /[^\s"'>/=]+/y;
const UNQUOTED = /[^\s"'=<>`]+/y;

function match(re: RegExp, s: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(s)?.[0];
}

/** Parse a start tag at `at` (just after `<`); undefined when it is not a complete tag. */
function startTag(s: string, at: number): { name: string; attributes: HtmlAttribute[]; selfClosing: boolean; end: number } | undefined {
  const name = match(NAME, s, at);
  if (name === undefined) return undefined;
  let i = at + name.length;
  const attributes: HtmlAttribute[] = [];
  for (;;) {
    const space = match(SPACE, s, i) ?? '';
    i += space.length;
    if (s[i] === '>') return { name: name.toLowerCase(), attributes, selfClosing: false, end: i + 1 };
    if (s.startsWith('/>', i)) return { name: name.toLowerCase(), attributes, selfClosing: true, end: i + 2 };
    if (space === '') return undefined;
    const attrName = match(ATTR_NAME, s, i);
    if (attrName === undefined) return undefined;
    i += attrName.length;
    const attr: HtmlAttribute = { name: attrName.toLowerCase() };
    const beforeEq = match(SPACE, s, i) ?? '';
    if (s[i + beforeEq.length] === '=') {
      i += beforeEq.length + 1;
      i += (match(SPACE, s, i) ?? '').length;
      const quote = s[i];
      if (quote === '"' || quote === "'") {
        const close = s.indexOf(quote, i + 1);
        if (close === -1) return undefined;
        attr.value = s.slice(i + 1, close);
        i = close + 1;
      } else {
        const value = match(UNQUOTED, s, i);
        if (value === undefined) return undefined;
        attr.value = value;
        i += value.length;
      }
    }
    attributes.push(attr);
  }
}

/**
 * Split a fragment of raw HTML (an mdast `html` node) into tokens. Anything that is not a complete
 * tag, comment or declaration, including a lone `<`, is text.
 */
export function tokenizeHtml(s: string): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  let text = '';
  let textStart = 0;
  const flush = (): void => {
    if (text !== '') tokens.push({ type: 'text', raw: text, offset: textStart });
    text = '';
  };
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    if (lt === -1) {
      if (text === '') textStart = i;
      text += s.slice(i);
      break;
    }
    if (lt > i) {
      if (text === '') textStart = i;
      text += s.slice(i, lt);
    }
    let end = -1;
    let token: HtmlToken | undefined;
    if (s.startsWith('<!--', lt)) {
      const close = s.indexOf('-->', lt + 4);
      end = close === -1 ? s.length : close + 3;
      token = { type: 'comment', raw: s.slice(lt, end), offset: lt };
    } else if (s[lt + 1] === '!' || s[lt + 1] === '?') {
      const close = s.startsWith('<![CDATA[', lt) ? s.indexOf(']]>', lt) : s.indexOf('>', lt);
      end = close === -1 ? s.length : close + (s.startsWith('<![CDATA[', lt) ? 3 : 1);
      token = { type: 'declaration', raw: s.slice(lt, end), offset: lt };
    } else if (s[lt + 1] === '/') {
      const name = match(NAME, s, lt + 2);
      const after = name === undefined ? -1 : lt + 2 + name.length + (match(SPACE, s, lt + 2 + name.length) ?? '').length;
      if (name !== undefined && s[after] === '>') {
        end = after + 1;
        token = { type: 'end', name: name.toLowerCase(), raw: s.slice(lt, end), offset: lt };
      }
    } else {
      const tag = startTag(s, lt + 1);
      if (tag) {
        end = tag.end;
        token = { type: 'start', ...tag, raw: s.slice(lt, end), offset: lt };
      }
    }
    if (token) {
      flush();
      tokens.push(token);
      i = end;
    } else {
      if (text === '') textStart = lt;
      text += '<';
      i = lt + 1;
    }
  }
  flush();
  return tokens;
}
