import type { Html, Parent, Root } from 'mdast';
import type { VFile } from 'vfile';
import { sanitizeFragment, type SanitizeHooks, type SanitizeState } from '../html/sanitizeFragment.ts';
import { report } from '../transformData.ts';
import { lineAt } from './lineAt.ts';

function hooksFor(node: Html, file: VFile): SanitizeHooks {
  return { removed: (message, offset) => report(file, 'html', `Raw HTML: ${message}.`, lineAt(node, offset)) };
}

/** Is `</name>` in any later html sibling? (Otherwise a dropped element ends with its own node.) */
function closesLater(siblings: Parent['children'], from: number, name: string): boolean {
  const closer = new RegExp(`</${name}[\\s>]`, 'i');
  for (let i = from; i < siblings.length; i++) {
    const n = siblings[i];
    if (n?.type === 'html' && closer.test(n.value)) return true;
  }
  return false;
}

function sanitizeChildren(parent: Parent, file: VFile): void {
  const state: SanitizeState = {};
  const kept: Parent['children'] = [];
  const children = parent.children;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (child === undefined) continue;
    if (child.type === 'html') {
      child.value = sanitizeFragment(child.value, state, hooksFor(child, file));
      if (state.dropping && !closesLater(children, i + 1, state.dropping.name)) delete state.dropping;
      if (child.value.trim() !== '') kept.push(child);
    } else if (state.dropping) {
    } else {
      if ('children' in child) sanitizeChildren(child, file);
      kept.push(child);
    }
  }
  parent.children = kept;
}

/**
 * Raw HTML (mdast `html` nodes, block and inline) through the allowlist of html/htmlPolicy.ts:
 * harmless tags kept with safe attributes, active content removed (reported as 'html'),
 * placeholders such as `<region>` escaped so they show as text, comments dropped, `rel="noopener
 * noreferrer"` added to `<a target>`. (Links in it are rewritten later, by rewriteLinks.)
 *
 * This is not the security boundary: the site's renderer parses the printed markdown again, differently,
 * and the page's final HTML is sanitised as a tree by functions/core/build/sanitizeBody.ts. This pass
 * earns its place for what only the markdown step can do: placeholders shown as text (a parser would
 * take `<region>` for an element), and diagnostics naming what an author's page lost, with its line.
 */
export default function sanitizeHtml() {
  return (tree: Root, file: VFile): void => {
    sanitizeChildren(tree, file);
  };
}
