/**
 * Markdown parsers take time that grows much faster than the size of a document nested very deep
 * (remark: a 400-deep list takes 2 s, a 1,000-deep one 27 s and then overflows the stack), and the
 * transform runs in the server's process. No real page nests that deep (the Serverless Devs corpus,
 * measured as below: at most 22, code blocks' indentation included), so a document nested deeper than MAX_NESTING is not parsed as markdown: its text is
 * shown as it is, in a code block, under its first heading.
 */
export const MAX_NESTING = 100;

const FRONT_MATTER = /^---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;
/** Leading white space, then container markers: block quotes (`>`) and list items (`-`, `*`, `+`, `1.`, `1)`). */
const CONTAINERS = /^([ \t]*)((?:(?:>|[-*+]|\d{1,9}[.)])(?:[ \t]+|$))*)/;

/** Deepest nesting of any line: columns of indentation ÷ 2 (a list level) plus the container markers it opens. */
export function nestingDepth(text: string): number {
  let deepest = 0;
  for (const line of text.split('\n')) {
    const m = CONTAINERS.exec(line)!;
    const columns = m[1]!.replace(/\t/g, '    ').length;
    const markers = m[2]!.match(/>|[-*+]|\d{1,9}[.)]/g)?.length ?? 0;
    const depth = Math.floor(columns / 2) + markers;
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}

/** `text` as one fenced code block, the fence longer than any run of tildes in it. */
export function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/~+/g) ?? []).map((run) => run.length));
  const fence = '~'.repeat(longest + 1);
  return `${fence}text\n${text.replace(/\n$/, '')}\n${fence}\n`;
}

/**
 * The document's text, or when it nests deeper than `max`: its front matter, its first `# heading`
 * line, then the rest in a fence (`fenced`).
 */
export function limitNesting(text: string, max = MAX_NESTING): { text: string; depth: number; limited: boolean } {
  const depth = nestingDepth(text);
  if (depth <= max) return { text, depth, limited: false };
  const front = FRONT_MATTER.exec(text)?.[0] ?? '';
  let body = text.slice(front.length);
  const heading = /^[ \t]*\n*(# [^\n]*)\n/.exec(body);
  if (heading) body = body.slice(heading[0].length).replace(/^([ \t]*\n)+/, '');
  return { text: `${front}${heading ? `${heading[1]}\n\n` : ''}${fenced(body)}`, depth, limited: true };
}
