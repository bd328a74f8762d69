/**
 * What must never be in a page body, found in its tree (HTML parsed by parse5 as a browser would):
 * script and other elements that run or load code, event handler attributes, script URLs in any URL
 * attribute, styles that position or load, author ids/names without the `user-content-` prefix.
 * `scriptOnly` limits it to what runs script (for figures about the renderer's raw output).
 */
import type { Element, Nodes } from 'hast';
import { fromHtml } from 'hast-util-from-html';

const ACTIVE = new Set([
  'script',
  'iframe',
  'frame',
  'object',
  'embed',
  'applet',
  'form',
  'base',
  'meta',
  'link',
  'style',
  'template',
  'noscript',
  'math',
  'portal',
  'textarea',
  'select',
  'isindex',
  'animate',
  'set',
  'foreignobject',
  'foreignObject',
]);
const URL_PROPS = ['href', 'src', 'srcSet', 'poster', 'cite', 'action', 'formAction', 'data', 'xLinkHref', 'background', 'dynsrc', 'lowsrc', 'to', 'values'];
const EC_ASSET = /^\/_astro\/ec\.[\w-]+\.(css|js)$/;

function scheme(url: string): string | undefined {
  const m = /^([^/?#]*?):/.exec(url.replace(/[\u0000-\u0020\u007f-\u009f]/g, ''));
  return m?.[1] ? m[1].toLowerCase() : undefined;
}

function isExpressiveCodeAsset(el: Element): boolean {
  if (el.children.length > 0) return false;
  if (el.tagName === 'script') return el.properties.type === 'module' && EC_ASSET.test(String(el.properties.src));
  return el.tagName === 'link' && String(el.properties.rel) === 'stylesheet' && EC_ASSET.test(String(el.properties.href));
}

function check(el: Element, scriptOnly: boolean, problems: string[]): void {
  const name = el.tagName;
  if (ACTIVE.has(name) && !isExpressiveCodeAsset(el) && !(scriptOnly && ['style', 'math', 'meta', 'base', 'link', 'textarea', 'select'].includes(name)))
    problems.push(`<${name}>`);
  if (name === 'input' && el.properties.type !== 'checkbox') problems.push('<input>');
  for (const [prop, value] of Object.entries(el.properties)) {
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (/^on/i.test(prop)) problems.push(`${name} ${prop}`);
    if (prop === 'srcDoc') problems.push(`${name} srcdoc`);
    if (URL_PROPS.includes(prop)) {
      const urls = prop === 'srcSet' ? text.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [text];
      for (const url of urls) {
        const s = scheme(url);
        const ok =
          s === undefined ||
          s === 'http' ||
          s === 'https' ||
          (s === 'mailto' && prop === 'href') ||
          (s === 'data' && name === 'img' && /^data:image\/(png|gif|jpe?g|webp|avif);/i.test(url));
        if (!ok) problems.push(`${name} ${prop}=${url.slice(0, 40)}`);
      }
    }
    if (scriptOnly) continue;
    if (prop === 'style' && /position|z-index|inset|url\(|expression|behavior|\\|transform|margin[\w-]*:\s*-/i.test(text))
      problems.push(`${name} style=${text.slice(0, 40)}`);
    if ((prop === 'id' || prop === 'name') && !text.startsWith('user-content-')) problems.push(`${name} ${prop}=${text}`);
  }
}

/** Problems of a body's HTML (empty when it is safe). */
export function findUnsafe(html: string, options: { scriptOnly?: boolean } = {}): string[] {
  const problems: string[] = [];
  const walk = (node: Nodes): void => {
    if (node.type === 'element') {
      check(node, options.scriptOnly ?? false, problems);
      if (node.content) walk(node.content);
    }
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(fromHtml(html, { fragment: true }));
  return problems;
}
