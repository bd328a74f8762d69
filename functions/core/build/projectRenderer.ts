/**
 * The project's markdown renderer from Astro's resolved config: `config.markdown.processor` (Sätteri)
 * with the site's image, highlighting and GFM settings, Starlight's plugins included; and the docs
 * collection folder whose file URLs make Starlight's plugins apply to a page. Used by the site builder
 * (astroBuild.ts) and by tests that render markdown without a site build.
 */
import type { AstroConfig } from 'astro';
import type { MarkdownRenderer } from './pageInputs.ts';

export async function projectRenderer(config: AstroConfig): Promise<{ renderer: MarkdownRenderer; docsDir: URL }> {
  const { markdown, image, srcDir } = config;
  const renderer = (await markdown.processor.createRenderer({
    image,
    syntaxHighlight: markdown.syntaxHighlight,
    shikiConfig: markdown.shikiConfig,
    gfm: markdown.gfm,
    smartypants: markdown.smartypants,
  })) as MarkdownRenderer;
  return { renderer, docsDir: new URL('./content/docs/', srcDir) };
}
