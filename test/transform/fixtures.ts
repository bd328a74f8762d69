import { buildSiteIndex, type SiteIndexOptions } from '../../functions/core/transform/siteIndex.ts';
import { emptyLinkStats } from '../../functions/core/transform/transformData.ts';
import { transformSource, type TransformResult } from '../../functions/core/transform/transformSource.ts';
import type { Diagnostic, FetchedSource, Page, SourceConfig, SourceFile } from '../../functions/core/types.ts';

type Files = Record<string, string | Uint8Array | SourceFile>;

/** A fetched source from inline files (`path → text, bytes or a SourceFile`); defaults: id fc, docs path `docs`. */
export function fetchedSource(files: Files, source: Partial<SourceConfig> = {}, ref = 'main'): FetchedSource {
  return {
    source: { id: 'fc', title: 'Function Compute', paths: ['docs'], ...source },
    sha: '0'.repeat(40),
    ref,
    files: Object.entries(files).map(([path, c]) =>
      typeof c === 'string' ? { path, content: new TextEncoder().encode(c) } : c instanceof Uint8Array ? { path, content: c } : { ...c, path },
    ),
  };
}

type Result = TransformResult & { page: (slug: string) => Page };

function withPage(result: TransformResult): Result {
  const page = (slug: string): Page => {
    const found = result.pages.find((p) => p.slug === slug);
    if (!found) throw new Error(`no page ${slug}; pages: ${result.pages.map((p) => p.slug).join(', ')}`);
    return found;
  };
  return { ...result, page };
}

/** Run transformSource over inline files of one source (no site index: the source alone). */
export function transform(files: Files, source: Partial<SourceConfig> = {}): Result {
  return withPage(transformSource(fetchedSource(files, source)));
}

/** Transform several sources with one site index; results by source id, plus all pages and diagnostics. */
export function site(fetched: FetchedSource[], options: SiteIndexOptions = {}): Result & { of: (id: string) => Result } {
  const siteIndex = buildSiteIndex(fetched, options);
  const results = new Map(fetched.map((f) => [f.source.id, withPage(transformSource(f, { siteIndex }))]));
  const all = [...results.values()];
  const merged = withPage({
    pages: all.flatMap((r) => r.pages),
    diagnostics: all.flatMap((r) => r.diagnostics),
    links: all.reduce((sum, r) => {
      for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += r.links[k];
      return sum;
    }, emptyLinkStats()),
  });
  return { ...merged, of: (id) => results.get(id)! };
}

/** Transform one file `docs/page.md` and return its page and diagnostics. */
export function one(text: string, others: Record<string, string> = {}): { page: Page; diagnostics: Diagnostic[] } {
  const r = transform({ 'docs/page.md': text, ...others });
  return { page: r.page('fc/page'), diagnostics: r.diagnostics.filter((d) => d.file === 'docs/page.md') };
}
