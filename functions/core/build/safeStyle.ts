/**
 * The part of a `style` attribute a page body may keep: declarations that colour, size, space and
 * align, nothing that can position, overlay or load. An author's `position:fixed` box would cover the
 * site with a fake "log in again" screen, `url()` loads from anywhere, a negative margin pulls content
 * over the site's own; those declarations are dropped, the rest of the attribute stays.
 */

/** Properties kept (plus custom properties `--x`, which Expressive Code uses for token colours). */
const ALLOWED = new Set([
  'color',
  'background-color',
  'opacity',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'text-align',
  'text-decoration',
  'text-decoration-line',
  'text-decoration-color',
  'text-decoration-style',
  'text-transform',
  'text-indent',
  'text-overflow',
  'white-space',
  'word-break',
  'overflow-wrap',
  'word-wrap',
  'vertical-align',
  'direction',
  'tab-size',
  'width',
  'height',
  'max-width',
  'max-height',
  'min-width',
  'min-height',
  'box-sizing',
  'aspect-ratio',
  'object-fit',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'margin-block',
  'margin-inline',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'padding-block',
  'padding-inline',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-width',
  'border-style',
  'border-color',
  'border-radius',
  'border-collapse',
  'border-spacing',
  'outline',
  'display',
  'float',
  'clear',
  'overflow',
  'overflow-x',
  'overflow-y',
  'list-style',
  'list-style-type',
  'list-style-position',
  'table-layout',
  'caption-side',
  'empty-cells',
  'visibility',
  'user-select',
  'cursor',
]);

/** Values that may not appear anywhere: loading (url, image-set, @import), script (expression, behaviours), escapes that could spell those. */
const FORBIDDEN_VALUE = /url\s*\(|image-set|image\s*\(|element\s*\(|expression|javascript:|vbscript:|behavior|-moz-binding|@|\\|<|>|\/\*|attr\s*\(/i;

/** `display` values that keep an element in the flow. */
const DISPLAY = /^(?:none|block|inline|inline-block|flex|inline-flex|grid|inline-grid|flow-root|list-item|contents|table(?:-[a-z-]+)?)$/i;

/** Sizes and offsets whose negative values would pull content over the site's own. */
const NO_NEGATIVE = /^(?:margin|text-indent|letter-spacing|word-spacing)/;

/** One declaration kept as is, or undefined. */
function keep(property: string, value: string): string | undefined {
  if (value === '' || FORBIDDEN_VALUE.test(value)) return undefined;
  const custom = property.startsWith('--') && /^--[\w-]+$/.test(property);
  if (!custom && !ALLOWED.has(property)) return undefined;
  if (property === 'display' && !DISPLAY.test(value.replace(/\s*!important$/i, ''))) return undefined;
  // A calc() or min() can hide a negative length as well as a sign can.
  if (NO_NEGATIVE.test(property) && /-|\(/.test(value)) return undefined;
  if (property === 'cursor' && !/^[a-z-]+$/i.test(value)) return undefined;
  return `${property}:${value}`;
}

/** The safe declarations of a style attribute's value, `;`-joined; '' when none is left. */
export function safeStyle(style: string): string {
  const kept: string[] = [];
  // Quotes may hold a `;` (font-family: "a;b"): split only outside them.
  for (const declaration of style.match(/(?:[^;"']|"[^"]*"|'[^']*')+/g) ?? []) {
    const colon = declaration.indexOf(':');
    if (colon === -1) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).trim();
    const safe = keep(property, value);
    if (safe !== undefined) kept.push(safe);
  }
  return kept.join(';');
}
