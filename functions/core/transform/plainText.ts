import type { Nodes } from 'mdast';

/**
 * The visible text of an mdast node (for titles): text, inline code and image alt text, without raw
 * HTML tags; whitespace collapsed.
 */
export function plainText(node: Nodes): string {
  const parts: string[] = [];
  const walk = (n: Nodes): void => {
    if (n.type === 'text' || n.type === 'inlineCode') parts.push(n.value);
    else if (n.type === 'image') parts.push(n.alt ?? '');
    else if (n.type === 'break') parts.push(' ');
    else if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}
