import type { Definition, Html, Image, Link, Nodes, Root } from 'mdast';
import type { VFile } from 'vfile';
import { tokenizeHtml } from '../html/tokenizeHtml.ts';
import { resolveDocLink } from '../resolveDocLink.ts';
import { emptyLinkStats, report, transformData } from '../transformData.ts';
import { decodeCharacterReferences } from '../urlSafety.ts';
import { lineAt } from './lineAt.ts';

const quoteAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * Every link of the page, in markdown (links, images, definitions) and in raw HTML (`<a href>`,
 * `<img src>`), through resolveDocLink: links to pages (relative, repo-root, GitHub blob/tree URLs of
 * configured repositories, URLs of this site or a source's former site) become site URLs with their
 * `#anchor` matched to the site's heading ids; relative links to repository files that are not pages
 * go to GitHub. A missing file or anchor is reported as 'broken-link' (the link stays, or points at the
 * page when only the anchor is missing); script URLs in markdown become `#` and are reported as 'html'.
 * Counts go to `file.data.links`.
 */
export default function rewriteLinks() {
  return (tree: Root, file: VFile): void => {
    const data = transformData(file);
    const { docs, outline } = data;
    const stats = (data.links ??= emptyLinkStats());

    /** The new URL for `url`, or undefined to keep it; reports problems. */
    const resolve = (url: string, what: 'link' | 'image', line: number | undefined): string | undefined => {
      const result = resolveDocLink(url, docs, outline, what);
      if (result.kind === 'keep') return undefined;
      if (result.kind === 'unsafe') {
        report(
          file,
          'html',
          `Removed a script URL from a ${what} (${JSON.stringify(url.slice(0, 60))}); only http(s), mailto and relative links are kept.`,
          line,
        );
        return '#';
      }
      if (result.kind === 'broken') {
        if (result.reason === 'file') stats.brokenFiles++;
        else stats.brokenAnchors++;
        const target = result.target && result.target !== docs.source.id ? { source: result.target, url, reason: result.reason } : undefined;
        report(file, 'broken-link', result.message, line, target);
        return result.url;
      }
      if (result.url === url) return undefined;
      if (result.to === 'relative') stats.relative++;
      else if (result.to === 'cross-source') stats.crossSource++;
      else if (result.to === 'absolute') stats.absolute++;
      else if (result.to === 'github') stats.toGitHub++;
      if (result.anchorChanged) stats.anchors++;
      return result.url;
    };

    const visit = (node: Link | Image | Definition): void => {
      const url = resolve(node.url, node.type === 'image' ? 'image' : 'link', node.position?.start.line);
      if (url !== undefined) node.url = url;
    };

    const visitHtml = (node: Html): void => {
      let out = '';
      let changed = false;
      for (const token of tokenizeHtml(node.value)) {
        const attr = token.type === 'start' ? (token.name === 'a' ? 'href' : token.name === 'img' ? 'src' : undefined) : undefined;
        if (token.type !== 'start' || attr === undefined || !token.attributes.some((a) => a.name === attr && a.value !== undefined)) {
          out += token.raw;
          continue;
        }
        let attrs = '';
        for (const a of token.attributes) {
          const url =
            a.name === attr && a.value !== undefined
              ? resolve(decodeCharacterReferences(a.value), attr === 'src' ? 'image' : 'link', lineAt(node, token.offset))
              : undefined;
          if (url !== undefined) changed = true;
          attrs += a.value === undefined ? ` ${a.name}` : ` ${a.name}="${url === undefined ? a.value : quoteAttr(url)}"`;
        }
        out += `<${token.name}${attrs}${token.selfClosing ? ' /' : ''}>`;
      }
      if (changed) node.value = out;
    };

    const walk = (node: Nodes): void => {
      if (node.type === 'link' || node.type === 'image' || node.type === 'definition') visit(node);
      else if (node.type === 'html') visitHtml(node);
      if ('children' in node) for (const child of node.children) walk(child);
    };
    walk(tree);
  };
}
