import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AstroIntegration, AstroPrerenderer } from 'astro';
import type { MarkdownRenderer } from './pageInputs.ts';
import { projectRenderer } from './projectRenderer.ts';
import { withRecovery, type Recover } from './renderPageSafely.ts';
import { NOT_FOUND } from './renderPlan.ts';

/** The site as the last `astro build` of this process left it: its bundle stays loaded and can render. */
export interface WarmSite {
  renderer: MarkdownRenderer;
  /** `<srcDir>/content/docs/`. */
  docsDir: URL;
  /** Output files of every page the bundle knows (its static paths). */
  knows(outFile: string): boolean;
  /** Render one page again (its page file rewritten first), exactly as the build renders it. */
  render(outFile: string): Promise<Buffer>;
}

export interface AstroBuildOptions {
  siteDir: string;
  /** Whether to render the page written to this output file; `astro build` skips the others (the caller takes them from the mirror). */
  render: (outFile: string) => boolean;
  /** Called once the markdown renderer exists, before anything is bundled or rendered. */
  prepare: (renderer: MarkdownRenderer, docsDir: URL) => Promise<void>;
  /** Called with each rendered page's HTML as Astro is about to write it. */
  onPage?: (outFile: string, html: Buffer) => void;
  /** Called when rendering a page throws or answers 5xx: true = its page file was replaced, render it again. */
  recover?: Recover;
  /** Called before and after each page is rendered (renderSite's render guard). */
  around?: PageWatch;
}

/** What runs around each page render: `before` may replace the page file (a page that took a builder down). */
export interface PageWatch {
  before(outFile: string): Promise<void>;
  after(outFile: string): void;
}

type PathWithRoute = Awaited<ReturnType<AstroPrerenderer['getStaticPaths']>>[number];
type Rendered = Awaited<ReturnType<AstroPrerenderer['render']>>;
const responseOf = (r: Rendered): Response => (r instanceof Response ? r : r.response);

/** The output file Astro writes for a path (directory format): `a/b/index.html`, `index.html`, `404.html`. */
function outFileOf({ pathname, route }: PathWithRoute): string {
  if (route.route === '/404') return NOT_FOUND;
  const path = pathname.replace(/^\/+|\/+$/g, '');
  return path === '' ? 'index.html' : `${path}/index.html`;
}

/** Import every module of the prerender bundle while its files exist: Astro deletes them after the build. */
async function preload(dir: string): Promise<void> {
  const files = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  for (const file of files.filter((f) => f.endsWith('.mjs')).sort()) await import(pathToFileURL(join(dir, file)).href).catch(() => undefined);
}

/**
 * `astro build` of the site in this process (Astro's JavaScript API), through a prerenderer that
 * renders only the pages asked for. Astro writes those and the assets; the other pages, the search
 * index and the sitemap are the caller's. Resolves to the warm site, which renders any page of the
 * bundle later without another build. Run it at most once per process: Astro keeps module state.
 */
export async function astroBuild(options: AstroBuildOptions): Promise<WarmSite> {
  const { build } = await import('astro');
  let config: Parameters<NonNullable<AstroIntegration['hooks']['astro:config:done']>>[0]['config'] | undefined;
  let renderer: MarkdownRenderer | undefined;
  let docsDir: URL | undefined;
  let prerenderer: AstroPrerenderer | undefined;
  const paths = new Map<string, PathWithRoute>();
  const integration: AstroIntegration = {
    name: 'docs-sync:site-builder',
    hooks: {
      'astro:config:done': ({ config: done }) => {
        config = done;
      },
      'astro:build:start': async ({ setPrerenderer }) => {
        ({ renderer, docsDir } = await projectRenderer(config!));
        // Page files are written while Vite bundles the site; pages are rendered once they are done.
        const prepared = options.prepare(renderer, docsDir);
        prepared.catch(() => undefined);
        setPrerenderer((base) => {
          prerenderer = base;
          return {
            name: 'docs-sync',
            setup: async () => {
              await prepared;
              await base.setup?.();
              await preload(join(process.cwd(), '.astro', '.prerender'));
            },
            getStaticPaths: async () => {
              const all = await base.getStaticPaths();
              for (const path of all) paths.set(outFileOf(path), path);
              return all.filter((path) => options.render(outFileOf(path)));
            },
            render: async (request, renderOptions) => {
              const outFile = outFileOf({ pathname: decodeURIComponent(new URL(request.url).pathname), route: renderOptions.routeData });
              await options.around?.before(outFile);
              const rendered = await withRecovery(
                outFile,
                async () => {
                  const r = await base.render(request.clone(), renderOptions);
                  if (responseOf(r).status >= 500) throw new Error(`Rendering ${outFile} answered ${responseOf(r).status}.`);
                  return r;
                },
                options.recover,
              ).finally(() => options.around?.after(outFile));
              const response = responseOf(rendered);
              if (!options.onPage || response.status !== 200) return rendered;
              const html = Buffer.from(await response.arrayBuffer());
              options.onPage(outFile, html);
              return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
            },
            teardown: async () => base.teardown?.(),
          };
        });
      },
    },
  };
  await build({
    configFile: relative(process.cwd(), join(options.siteDir, 'astro.config.mjs')),
    mode: 'production',
    // Warnings and errors only: a line per page is noise at 2,000 pages (renderSite reports progress).
    logLevel: 'warn',
    integrations: [integration],
  });
  if (!renderer || !docsDir || !prerenderer || !config)
    throw new Error('astro build finished without running the docs-sync integration; is site/astro.config.mjs intact?');
  const site = prerenderer;
  // The origin Astro gives the requests it renders (AstroBuilder), and its URL for a path (directory format, trailing slash).
  const origin = config.site ? new URL(config.site).origin : `http://localhost:${config.server.port}`;
  return {
    renderer,
    docsDir,
    knows: (outFile) => paths.has(outFile),
    render: async (outFile) => {
      const path = paths.get(outFile);
      if (!path) throw new Error(`The site bundle has no page ${outFile}.`);
      const url = new URL(path.pathname === '/' ? '/' : `${path.pathname.replace(/\/+$/, '')}/`, origin);
      const response = responseOf(await site.render(new Request(url), { routeData: path.route }));
      if (response.status !== 200) throw new Error(`Rendering ${outFile} answered ${response.status}.`);
      return Buffer.from(await response.arrayBuffer());
    },
  };
}
