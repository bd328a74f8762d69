import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { contentSecurityPolicy, pagePolicy, withPolicyMeta } from '../../functions/core/http/contentSecurityPolicy.ts';

const sha = (code: string): string => `'sha256-${createHash('sha256').update(code).digest('base64')}'`;
const BODY = '<p>body</p><script>window.__xss=1</script>';
const PAGE = `<!doctype html><html><head><title>t</title><script>theme()</script><script type="module" src="/_astro/a.js"></script></head><body><main>${BODY}</main><script type="module">sidebar()</script></body></html>`;

test("a page's policy hashes the inline scripts around its body, never one in it, and allows no other inline script", () => {
  const policy = pagePolicy(PAGE, BODY);
  const scripts = policy.split('; ').find((d) => d.startsWith('script-src'));
  assert.equal(scripts, `script-src 'self' 'wasm-unsafe-eval' ${[sha('theme()'), sha('sidebar()')].sort().join(' ')}`);
  assert.ok(!policy.includes(sha('window.__xss=1')));
  assert.match(policy, /^default-src 'self'; .*object-src 'none'; base-uri 'none'; .*frame-src 'none'; script-src /);
  // Without a body to leave out (Starlight's 404 page), every inline script is the site's.
  assert.ok(pagePolicy(PAGE).includes(sha('window.__xss=1')));
});

test('the policy is the first element of <head>, and the header repeats it with what only a header can say', () => {
  const html = withPolicyMeta(PAGE, BODY);
  assert.ok(html.startsWith(`<!doctype html><html><head><meta http-equiv="content-security-policy" content="${pagePolicy(PAGE, BODY)}"><title>`));
  assert.equal(contentSecurityPolicy(html), `${pagePolicy(PAGE, BODY)}; frame-ancestors 'self'`);
});

test('HTML without a strict policy of its own gets one that runs no inline script', () => {
  const strict =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; media-src 'self' https:; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'none'; script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'self'";
  assert.equal(contentSecurityPolicy('<p>no head</p>'), strict);
  assert.equal(contentSecurityPolicy(PAGE), strict);
  for (const weak of ["script-src 'self' 'unsafe-inline'", 'script-src *', "script-src 'self' https:", "default-src 'self'"]) {
    assert.equal(contentSecurityPolicy(`<head><meta http-equiv="content-security-policy" content="${weak}"></head>`), strict, weak);
  }
  // A policy written into the body does not count: only the head's.
  assert.equal(contentSecurityPolicy(`<head></head><body><meta http-equiv="content-security-policy" content="script-src 'self' 'sha256-x'">`), strict);
});
