import type { Processor } from 'unified';
import remarkDirective from 'remark-directive';

/**
 * Directives (`:::tip[Title]`, `::name`, `:name`) as the site's renderer reads them, so the transform
 * parses the same structure Sätteri will (a differential less) and Starlight's asides print back intact
 * (plain remark would print `:::tip\[Title]`, and the custom title would be lost). Text that only
 * looks like a directive is not escaped on printing: escaping would change URLs (`mailto\:`) and
 * Sätteri shows an unclaimed directive as its text anyway.
 */
export default function directives(this: Processor): void {
  remarkDirective.call(this);
  const extensions = this.data().toMarkdownExtensions ?? [];
  const last = extensions.length - 1;
  const printing = extensions[last];
  if (printing && !Array.isArray(printing)) extensions[last] = { ...printing, unsafe: (printing.unsafe ?? []).filter((u) => u.character !== ':') };
}
