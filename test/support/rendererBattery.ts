/**
 * Documents the site's renderer refused, each of which made the whole site build throw (or run the
 * builder out of memory) before: kept from scripts/fuzz-render.ts and the reports that found them.
 * Used by test/build/badPages.test.ts (the site builder) and test/faults/badContent.test.ts (the server).
 */
export const RENDERER_BATTERY: Record<string, string> = {
  /** Starlight throws on an aside icon it does not know. */
  'docs/aside-icon.md': '# Aside icon\n\n:::note{icon="nope"}\nAn aside with an icon Starlight does not know.\n:::\n',
  /** Astro's image handling decodes the path: a `%` that is not an escape throws (a local folder's relative path). */
  'docs/percent.md': '# Percent\n\nBefore the chart.\n\n![chart](./usage-50%.png)\n',
  /** Expressive Code throws on a frame type it does not know. */
  'docs/frame.md': '# Frame\n\n```sh frame="terminall"\nls -la\n```\n',
  /** An empty search term: Expressive Code's marker search never ends and exhausts the memory. */
  'docs/empty-term.md': '# Empty term\n\n```js title="a.js" ""\nconst x = 1;\n```\n',
  /** An empty ANSI block: Expressive Code's Shiki plugin throws (found by the fuzzer). */
  'docs/empty-ansi.md': '# Empty ANSI\n\nBefore the block.\n\n```ansi\n```\n',
  /** Line 0 (or a negative line) in a range: Expressive Code throws. */
  'docs/line-zero.md': '# Line zero\n\n```powershell {0} del="x"\nx\n```\n',
};
