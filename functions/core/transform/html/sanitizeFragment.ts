import { decodeCharacterReferences, isAllowedHtmlUrl } from '../urlSafety.ts';
import { ALLOWED_ATTRIBUTES, ALLOWED_TAGS, DROPPED_TAGS, REQUIRED_ATTRIBUTES, URL_ATTRIBUTES, VOID_TAGS, isDangerousStyle } from './htmlPolicy.ts';
import { tokenizeHtml, type HtmlAttribute } from './tokenizeHtml.ts';

/** Carried from one html node to the next sibling: the dropped element we are inside, if any. */
export interface SanitizeState {
  dropping?: { name: string; depth: number };
}

export interface SanitizeHooks {
  /** Something dangerous was removed; `offset` is the character offset in the fragment. */
  removed(message: string, offset: number): void;
}

/**
 * Text kept from raw HTML. Besides `<` and `>`, brackets become character references: the body is
 * markdown that gets parsed again, and text that stops being part of an HTML block (its opening tag
 * was a placeholder or was removed) must not turn into a `[link](javascript:…)` there.
 */
const escapeText = (s: string): string => s.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\[/g, '&#91;').replace(/\]/g, '&#93;');
const quoteAttr = (s: string): string => s.replace(/"/g, '&quot;');

function cleanAttributes(tag: string, attributes: HtmlAttribute[], offset: number, hooks: SanitizeHooks): string {
  const seen = new Set<string>(); // browsers use the first of repeated attributes
  const kept = new Map<string, string | undefined>();
  for (const attr of attributes) {
    const { name } = attr;
    if (seen.has(name)) continue;
    seen.add(name);
    const value = attr.value;
    if (name.startsWith('on')) {
      hooks.removed(`removed the event handler attribute ${name} from <${tag}>`, offset);
      continue;
    }
    if (!ALLOWED_ATTRIBUTES.has(name)) continue;
    // <img name="x"> becomes document.x, which can shadow what the site's scripts use (DOM clobbering).
    if (name === 'name' && tag !== 'a') continue;
    if (value !== undefined && URL_ATTRIBUTES.has(name)) {
      const urls = name === 'srcset' ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value];
      if (!urls.every((u) => isAllowedHtmlUrl(u, tag !== 'a'))) {
        hooks.removed(`removed ${name}=${JSON.stringify(value.slice(0, 60))} from <${tag}> (only http(s), mailto and relative URLs are allowed)`, offset);
        continue;
      }
    }
    if (name === 'style' && value !== undefined && isDangerousStyle(decodeCharacterReferences(value))) {
      hooks.removed(`removed a style attribute that can run script from <${tag}>`, offset);
      continue;
    }
    kept.set(name, value);
  }
  // A link opening a new tab must not hand the new page a handle on this one (window.opener).
  if (tag === 'a' && kept.has('target')) {
    const rel = new Set(
      (kept.get('rel') ?? '')
        .toLowerCase()
        .split(/\s+/)
        .filter((r) => r !== ''),
    );
    rel.add('noopener').add('noreferrer');
    kept.set('rel', [...rel].join(' '));
  }
  let out = '';
  for (const [name, value] of kept) {
    out += value === undefined ? ` ${name}` : ` ${name}="${quoteAttr(value)}"`;
  }
  return out;
}

/**
 * Sanitise one fragment of raw HTML with the allowlist in htmlPolicy.ts. Comments and declarations
 * are dropped; unknown tags are escaped so they show as text; `state` carries a dropped element
 * (e.g. an unclosed `<script>`) over to the next fragment.
 */
export function sanitizeFragment(html: string, state: SanitizeState, hooks: SanitizeHooks): string {
  let out = '';
  for (const token of tokenizeHtml(html)) {
    const dropping = state.dropping;
    if (dropping) {
      if (token.type === 'start' && token.name === dropping.name && !token.selfClosing) dropping.depth++;
      if (token.type === 'end' && token.name === dropping.name && --dropping.depth === 0) delete state.dropping;
      continue;
    }
    switch (token.type) {
      case 'text':
        out += escapeText(token.raw);
        break;
      case 'comment':
      case 'declaration':
        break;
      case 'start': {
        const { name } = token;
        if (DROPPED_TAGS.has(name)) {
          const withContent = !VOID_TAGS.has(name) && !token.selfClosing;
          hooks.removed(`removed <${name}>${withContent ? ` and its content` : ''}`, token.offset);
          if (withContent) state.dropping = { name, depth: 1 };
          break;
        }
        const required = REQUIRED_ATTRIBUTES[name];
        const isTag = ALLOWED_TAGS.has(name) && (!required || token.attributes.some((a) => required.includes(a.name)));
        if (!isTag) {
          out += escapeText(token.raw);
          break;
        }
        out += `<${name}${cleanAttributes(name, token.attributes, token.offset, hooks)}${token.selfClosing ? ' /' : ''}>`;
        break;
      }
      case 'end':
        if (token.name === 'br')
          out += '<br>'; // browsers read </br> as <br>
        else if (ALLOWED_TAGS.has(token.name)) out += VOID_TAGS.has(token.name) ? '' : `</${token.name}>`;
        else if (!DROPPED_TAGS.has(token.name)) out += escapeText(token.raw);
        break;
    }
  }
  return out;
}
