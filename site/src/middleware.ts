/**
 * Every page gets its Content-Security-Policy as the first element of `<head>`: the hashes of the
 * inline scripts Astro and Starlight render around the page's body, never of anything in the body
 * (see functions/core/http/contentSecurityPolicy.ts; the server repeats it as a header).
 */
import { defineMiddleware } from 'astro:middleware';
import { withPolicyMeta } from '../../functions/core/http/contentSecurityPolicy.ts';
import type { RenderedPage } from './renderedPages.ts';
import { PAGE } from './routeData.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await next();
  if (!response.headers.get('content-type')?.startsWith('text/html')) return response;
  const page = (context.locals as Record<string, unknown>)[PAGE] as RenderedPage | undefined;
  const html = withPolicyMeta(await response.text(), page?.html);
  return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
});
