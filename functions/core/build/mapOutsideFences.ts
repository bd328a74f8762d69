/**
 * Rewrite a markdown text line by line, leaving fenced code blocks as they are: the one place that
 * knows CommonMark's fence rules for the line-level link rewrites (machine docs, preview stand-ins).
 */
export function mapOutsideFences(markdown: string, map: (line: string) => string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      const [, marker, rest = ''] = /^\s{0,3}(`{3,}|~{3,})(.*)$/.exec(line) ?? [];
      // CommonMark: a fence closes with the same character, at least as long, and nothing after it.
      if (marker && (fence === undefined || (marker[0] === fence[0] && marker.length >= fence.length && rest.trim() === ''))) {
        fence = fence === undefined ? marker : undefined;
        return line;
      }
      return fence !== undefined ? line : map(line);
    })
    .join('\n');
}
