import type { Html } from 'mdast';

/** The source line of a character offset inside a raw HTML node (undefined when positions are unknown). */
export function lineAt(node: Html, offset: number): number | undefined {
  const start = node.position?.start.line;
  if (start === undefined) return undefined;
  let line = start;
  for (let i = node.value.indexOf('\n'); i !== -1 && i < offset; i = node.value.indexOf('\n', i + 1)) line++;
  return line;
}
