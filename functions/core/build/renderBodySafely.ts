/**
 * One page's content must never fail the whole site. The markdown renderer Astro gives us (Sätteri with
 * Starlight's and Expressive Code's plugins) throws on content it does not accept: an aside icon
 * Starlight does not know (`:::note{icon="nope"}`), a code block `frame=` Expressive Code does not
 * know, an image path with a `%` that is not an escape, and more (see scripts/fuzz-render.ts). Such a
 * page is shown as text instead — escaped, in a code block, under a visible note — and the problem is
 * returned so it becomes that page's diagnostic.
 */
import { escapeHtml } from '../http/escapeHtml.ts';
import type { MarkdownRenderer } from './pageInputs.ts';
import { POISONED, type RenderGuard } from './renderGuard.ts';

/** A rendered page body; `problem` says why it shows its text instead (the page's diagnostic). */
interface SafeBody {
  headings: Array<{ depth: number; slug: string; text: string }>;
  html: string;
  problem?: string;
}

/** Control characters HTML forbids (tab, line feed and carriage return stay). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with lone surrogates (which no encoder can write) replaced by U+FFFD. */
export const wellFormed = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

/** `text` as HTML text: escaped, control characters and lone surrogates as U+FFFD. */
const htmlText = (text: string): string => escapeHtml(wellFormed(text).replace(CONTROL, '\uFFFD'));

/** An error's message on one line, at most 300 characters: what a diagnostic quotes. */
export function errorLine(error: unknown): string {
  const hint = (error as { hint?: unknown } | undefined)?.hint; // AstroError: what was wrong
  const message = error instanceof Error ? `${error.message}${typeof hint === 'string' ? `: ${hint}` : ''}` : String(error);
  const line = message.replace(/\s+/g, ' ').trim() || 'unknown error';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/**
 * A page's markdown shown as text: a note (Starlight's caution aside, so it looks like the site) saying
 * why, then the text escaped in a code block. Built here, not by the renderer that just refused it.
 */
export function shownAsText(markdown: string, note: string): string {
  return (
    `<aside aria-label="Note" class="starlight-aside starlight-aside--caution"><p class="starlight-aside__title" aria-hidden="true">Note</p><div class="starlight-aside__content"><p>${htmlText(note)}</p></div></aside>\n` +
    `<pre class="docs-sync-as-text"><code>${htmlText(markdown)}</code></pre>\n`
  );
}

/** The note a reader sees above a page shown as text. */
export const AS_TEXT_NOTE = "This page could not be rendered, so its text is shown as it is. The site's build report names the problem.";

/**
 * Render one page body with the project's markdown renderer; when the renderer throws, the body shown
 * as text (shownAsText) with `problem` saying what the renderer refused, so the author can fix it.
 * With `watch`, the render is noted in its guard, and a body that took a builder down before is not
 * rendered again (renderGuard.ts).
 */
export async function renderBodySafely(
  renderer: MarkdownRenderer,
  content: string,
  options: Parameters<MarkdownRenderer['render']>[1],
  watch?: { guard: RenderGuard; slug: string; key: string },
): Promise<SafeBody> {
  if (watch?.guard.poisoned(watch.slug, watch.key)) return { headings: [], html: shownAsText(content, AS_TEXT_NOTE), problem: POISONED };
  watch?.guard.begin(watch.slug, watch.key);
  try {
    const { code, metadata } = await renderer.render(content, options);
    return { headings: metadata.headings, html: code };
  } catch (error) {
    return {
      headings: [],
      html: shownAsText(content, AS_TEXT_NOTE),
      problem: `The page could not be rendered (${errorLine(error)}); it is shown as text. Fix what the message names (an aside's icon, a code block's meta such as frame="…", a URL with a stray "%", …).`,
    };
  } finally {
    watch?.guard.end();
  }
}

/** A body any working renderer renders. */
const CANARY = '## Canary\n\nPlain *text* with `code`.\n\n```sh\nls\n```\n';

/**
 * When every body a build rendered was refused (at least two), ask whether the renderer renders
 * anything at all: if a plain page fails too, the site is broken, not its content, and this throws
 * (the build fails and the live site stays as it was) instead of publishing every page as text.
 */
export async function assertRendererWorks(renderer: MarkdownRenderer, rendered: number, refused: number): Promise<void> {
  if (rendered < 2 || refused < rendered) return;
  const canary = await renderBodySafely(renderer, CANARY, { frontmatter: { title: 'Canary' } });
  if (canary.problem)
    throw new Error(
      `The site's markdown renderer refuses every page, even a plain one: ${canary.problem.replace(/; it is shown as text\..*$/s, '')}. This is a problem of the site (its code or dependencies), not of the content.`,
    );
}
