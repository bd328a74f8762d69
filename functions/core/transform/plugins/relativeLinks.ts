import type { Definition, Image, Link, Nodes, Root } from 'mdast';
import type { VFile } from 'vfile';
import { resolveDocLink } from '../resolveDocLink.ts';
import { report, transformData } from '../transformData.ts';

type UrlNode = Link | Image | Definition;

/**
 * Markdown links, images and link definitions: relative links to pages of the source become site
 * URLs (anchor and query kept); a relative `.md` link to a file that is not a page is reported as
 * 'broken-link' and left as written; script URLs (javascript:, vbscript:, data:text/html) are
 * replaced by `#` and reported as 'html'. Everything else is left alone.
 */
export default function relativeLinks() {
  return (tree: Root, file: VFile): void => {
    const { docs } = transformData(file);
    const visit = (node: UrlNode): void => {
      const line = node.position?.start.line;
      const what = node.type === 'image' ? 'image' : 'link';
      const result = resolveDocLink(node.url, docs);
      if (result.kind === 'page') node.url = result.url;
      else if (result.kind === 'unsafe') {
        report(file, 'html', `Removed a script URL from a ${what} (${JSON.stringify(node.url.slice(0, 60))}); only http(s), mailto and relative links are kept.`, line);
        node.url = '#';
      } else if (result.kind === 'broken') {
        report(file, 'broken-link', `Broken ${what} "${node.url}": ${result.target} is not a page of source "${docs.source.id}". Fix the path (it is relative to ${docs.file}).`, line);
      }
    };
    const walk = (node: Nodes): void => {
      if (node.type === 'link' || node.type === 'image' || node.type === 'definition') visit(node);
      if ('children' in node) for (const child of node.children) walk(child);
    };
    walk(tree);
  };
}
