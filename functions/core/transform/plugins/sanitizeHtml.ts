import type { Html, Parent, Root } from 'mdast';
import type { VFile } from 'vfile';
import { sanitizeFragment, type SanitizeHooks, type SanitizeState } from '../html/sanitizeFragment.ts';
import { resolveDocLink } from '../resolveDocLink.ts';
import { report, transformData } from '../transformData.ts';

function hooksFor(node: Html, file: VFile): SanitizeHooks {
  const { docs } = transformData(file);
  const lineAt = (offset: number): number | undefined => {
    const start = node.position?.start.line;
    if (start === undefined) return undefined;
    let line = start;
    for (let i = node.value.indexOf('\n'); i !== -1 && i < offset; i = node.value.indexOf('\n', i + 1)) line++;
    return line;
  };
  return {
    removed: (message, offset) => report(file, 'html', `Raw HTML: ${message}.`, lineAt(offset)),
    href: (value, offset) => {
      const result = resolveDocLink(value, docs);
      if (result.kind === 'page') return result.url;
      if (result.kind === 'broken') {
        report(file, 'broken-link', `Broken link <a href="${value}">: ${result.target} is not a page of source "${docs.source.id}". Fix the path (it is relative to ${docs.file}).`, lineAt(offset));
      }
      return value;
    },
  };
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
      continue; // content of a <script>/<form>… whose end tag is in a later sibling
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
 * placeholders such as `<region>` escaped so they show as text, comments dropped. Relative
 * `<a href>` to pages are rewritten like markdown links.
 */
export default function sanitizeHtml() {
  return (tree: Root, file: VFile): void => {
    sanitizeChildren(tree, file);
  };
}
