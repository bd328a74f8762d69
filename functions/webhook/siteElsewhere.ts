/**
 * What the webhook function answers for a page of the site: the site is not served here (it is
 * published to OSS, behind a CDN or a custom domain), so a reader who lands on the function's URL
 * is sent to PUBLIC_URL — unless PUBLIC_URL is this very host, which would be a redirect loop.
 */
export function siteElsewhere(publicUrl: string | undefined): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (publicUrl) {
      const target = new URL(`${url.pathname}${url.search}`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`);
      if (target.host !== url.host && target.host !== request.headers.get('host')) {
        return new Response(null, { status: 302, headers: { location: target.href, 'cache-control': 'no-store' } });
      }
    }
    const where = publicUrl ? `PUBLIC_URL (${publicUrl}) points at this function itself` : 'PUBLIC_URL is not set';
    const body = `This is the docs-sync webhook function: it takes GitHub deliveries (POST /webhook) and shows builds (/_builds/). The site is published to OSS; ${where}. Set PUBLIC_URL to the site's domain (the OSS bucket's website endpoint, the CDN domain or your custom domain).\n`;
    return new Response(body, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  };
}
