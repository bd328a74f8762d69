import { transformSource } from '../../functions/core/transform/transformSource.ts';
import type { Diagnostic, FetchedSource, Page, SourceConfig } from '../../functions/core/types.ts';

/** Run transformSource over inline files (`path → text or bytes`) of a source `docs` with docs path `docs`. */
export function transform(
  files: Record<string, string | Uint8Array>,
  source: Partial<SourceConfig> = {},
): { pages: Page[]; diagnostics: Diagnostic[]; page: (slug: string) => Page } {
  const fetched: FetchedSource = {
    source: { id: 'fc', title: 'Function Compute', paths: ['docs'], ...source },
    sha: '0'.repeat(40),
    ref: 'main',
    files: Object.entries(files).map(([path, c]) => ({ path, content: typeof c === 'string' ? new TextEncoder().encode(c) : c })),
  };
  const result = transformSource(fetched);
  const page = (slug: string): Page => {
    const found = result.pages.find((p) => p.slug === slug);
    if (!found) throw new Error(`no page ${slug}; pages: ${result.pages.map((p) => p.slug).join(', ')}`);
    return found;
  };
  return { ...result, page };
}

/** Transform one file `docs/page.md` and return its page and diagnostics. */
export function one(text: string, others: Record<string, string> = {}): { page: Page; diagnostics: Diagnostic[] } {
  const r = transform({ 'docs/page.md': text, ...others });
  return { page: r.page('fc/page'), diagnostics: r.diagnostics.filter((d) => d.file === 'docs/page.md') };
}
