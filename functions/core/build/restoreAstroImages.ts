/**
 * Astro's markdown renderer marks a markdown image with a relative path (`![x](./pic.png)`) for its
 * asset pipeline: it moves `src`, `alt`, … into one `__ASTRO_IMAGE_` attribute that only a content
 * collection's build resolves. docs-sync renders bodies itself, so nothing resolves it and the image
 * has no `src`. This puts the attributes back (before sanitising, which then vets them like any other).
 */
import type { Nodes } from 'hast';

const MARKER = '__astro_image_';

export function restoreAstroImages(node: Nodes): void {
  if (node.type === 'element' && node.tagName === 'img' && typeof node.properties[MARKER] === 'string') {
    const marked = node.properties[MARKER];
    delete node.properties[MARKER];
    let fields: unknown;
    try {
      fields = JSON.parse(marked);
    } catch {
      fields = undefined;
    }
    if (fields && typeof fields === 'object') {
      for (const [key, value] of Object.entries(fields)) {
        if (key === 'index' || key === 'inferSize') continue;
        if (typeof value === 'string' || typeof value === 'number') node.properties[key] = value;
      }
    }
  }
  if ('children' in node) for (const child of node.children) restoreAstroImages(child);
}
