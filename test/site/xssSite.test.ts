/**
 * The XSS battery, what the differential fuzzer found and harmless HTML, built into a real site
 * (xssSiteFixture.ts) and read in Chromium as served, Content-Security-Policy header included. On every
 * page every element of the body is hovered and clicked (the mouse on each element that has a box,
 * then every mouse, pointer, focus and key event dispatched on each element, and its activation):
 * no script ran (no `window.__xss`, no dialog, no page error), no script even tried (no CSP
 * violation: the site's own inline scripts are hashed, nothing else is inline), the body's DOM holds
 * nothing unsafe, and the end-of-page marker is still inside Starlight's content column, before its footer.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { launchBrowser } from '../support/launchBrowser.ts';
import { findUnsafe } from '../support/unsafeHtml.ts';
import { END_MARKER, startXssSite, type XssSite } from './xssSiteFixture.ts';

/** Before any page script: record CSP violations; keep ordinary links from navigating away (script URLs may go). */
const WATCH = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.effectiveDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
document.addEventListener('click', (e) => { const a = e.target instanceof Element && e.target.closest('a'); if (a && a.protocol !== 'javascript:') e.preventDefault(); }, true);`;

const EVENTS = [
  'pointerover',
  'pointerenter',
  'mouseover',
  'mouseenter',
  'mousemove',
  'pointerdown',
  'mousedown',
  'pointerup',
  'mouseup',
  'click',
  'dblclick',
  'auxclick',
  'contextmenu',
  'focus',
  'focusin',
  'blur',
  'keydown',
  'keyup',
  'input',
  'wheel',
  'touchstart',
  'mouseleave',
  'mouseout',
];

async function open(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('dialog', (d) => errors.push(`dialog: ${d.message()}`) && void d.dismiss());
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.addInitScript(WATCH);
  await page.goto(url);
  return { page, errors };
}

/** Hover and click every element of the body with the mouse, then dispatch every event on each. */
async function touchEverything(page: Page): Promise<number> {
  const boxes = await page.$$eval('.sl-markdown-content *', (els) =>
    els
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 })),
  );
  // Nested elements often share a centre: one mouse visit each.
  for (const { x, y } of new Map(boxes.map((b) => [`${Math.round(b.x)},${Math.round(b.y)}`, b])).values()) {
    await page.mouse.move(x, y);
    await page.mouse.click(x, y);
  }
  return page.evaluate((events) => {
    const all = [...document.querySelectorAll('.sl-markdown-content *')];
    for (const el of all) {
      for (const type of events) el.dispatchEvent(new (type.startsWith('key') ? KeyboardEvent : MouseEvent)(type, { bubbles: true, cancelable: true }));
      if (el instanceof HTMLElement) {
        el.focus();
        el.click();
      }
    }
    return all.length;
  }, EVENTS);
}

describe('a hostile site in Chromium', () => {
  let site: XssSite;
  let browser: Browser;
  before(async () => {
    site = await startXssSite();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  it('runs no author script on any page, hovered and clicked all over, and keeps each body inside the content column', async () => {
    let touched = 0;
    for (const slug of site.slugs) {
      const { page, errors } = await open(browser, `${site.base}/${slug}/`);
      touched += await touchEverything(page);
      await page.waitForTimeout(50);
      const state = await page.evaluate((marker) => {
        const column = document.querySelector('.sl-markdown-content');
        // The marker's text, wherever markdown put it (an unclosed fence makes it code).
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        let end: Node | null = null;
        while (!end && walker.nextNode()) if (walker.currentNode.textContent?.includes(marker)) end = walker.currentNode;
        const footer = document.querySelector('footer');
        return {
          xss: (window as unknown as { __xss?: string }).__xss,
          violations: (window as unknown as { __violations: string[] }).__violations,
          endInColumn: !!(column && end && column.contains(end)),
          footerOutside: !!(column && footer && !column.contains(footer) && end && end.compareDocumentPosition(footer) & Node.DOCUMENT_POSITION_FOLLOWING),
          body: column?.innerHTML ?? '',
          themeScriptRan: typeof (window as unknown as { StarlightThemeProvider?: unknown }).StarlightThemeProvider === 'object',
        };
      }, END_MARKER);
      await page.close();
      assert.equal(state.xss, undefined, `${slug}: script ran`);
      assert.deepEqual(errors, [], slug);
      assert.deepEqual(state.violations, [], `${slug}: something tried to run or load against the policy`);
      assert.deepEqual(findUnsafe(state.body), [], slug);
      assert.ok(state.endInColumn, `${slug}: the end marker left Starlight's content column`);
      assert.ok(state.footerOutside, `${slug}: the footer is swallowed or missing`);
      assert.ok(state.themeScriptRan, `${slug}: Starlight's own inline script did not run under the policy`);
    }
    console.log(`xss site: ${site.slugs.length} pages, ${touched} body elements touched`);
    assert.ok(touched > 200, `${touched} elements touched`);
  });

  it('renders the harmless HTML: br, img, font, center, details, tables, a custom aside title, a relative image, anchors that land', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.base}/fc/harmless/`);
    const column = page.locator('.sl-markdown-content');
    assert.equal(await column.locator('br').count(), 1);
    assert.equal(await column.locator('center img[alt="centred pixel"]').getAttribute('src'), 'data:image/gif;base64,R0lGODlhAQABAAAAACw=');
    assert.equal(await column.locator('font[color="red"]').textContent(), 'red');
    assert.equal(await column.locator('kbd').count(), 2);
    await column.locator('summary').click();
    assert.ok(await column.locator('details strong').isVisible());
    assert.equal(await column.locator('table td').textContent(), 'cell');
    assert.equal((await column.locator('aside.starlight-aside--tip .starlight-aside__title').textContent())?.trim(), 'Custom title');
    assert.equal(await column.locator('img[alt="local picture"]').getAttribute('src'), './pic.png');
    assert.match(await column.innerText(), /Replace <region> with yours\./);
    await column.getByRole('link', { name: 'install', exact: true }).click();
    assert.equal(new URL(page.url()).hash, '#user-content-install');
    assert.ok(await page.locator('#user-content-install').isVisible());
    await page.locator('starlight-toc a', { hasText: '__svelte' }).first().click();
    assert.equal(await page.evaluate(() => document.getElementById(location.hash.slice(1))?.textContent), '__svelte');
    // A link from elsewhere, written before the prefix, still lands.
    await page.goto(`${site.base}/fc/harmless/#__svelte`);
    await page.waitForFunction(() => scrollY > 0 && document.getElementById('user-content-__svelte')!.getBoundingClientRect().bottom < innerHeight);
    await page.close();
  });

  it('searches from a page with a heading `## __svelte` (its id would clobber what the search UI uses)', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.base}/fc/harmless/`);
    await page.waitForLoadState('networkidle');
    await page.locator('button[data-open-modal]').click();
    await page.locator('#starlight__search .pagefind-ui__search-input').fill('aside');
    await page.locator('#starlight__search .pagefind-ui__result-link', { hasText: 'Harmless' }).first().waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('serves the policy as a header: a script that got into a page anyway does not run', async () => {
    const response = await fetch(`${site.base}/fc/harmless/`);
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'( 'sha256-[\w+/=]+')+;/);
    assert.doesNotMatch(policy, /script-src[^;]*'unsafe-inline'/);
    assert.match(policy, /frame-ancestors 'self'$/);
    // A future sanitiser bypass, simulated: script written straight into a built page's body.
    const html = await readFile(join(site.out, 'fc/harmless/index.html'), 'utf8');
    const injected = html.replace(
      '<div class="sl-markdown-content">',
      `$&<script>window.__xss='inline'</script><img src="data:," onerror="window.__xss='handler'"><a id="go" href="javascript:window.__xss='url'">go</a>`,
    );
    assert.notEqual(injected, html);
    await mkdir(join(site.out, 'fc/bypassed'), { recursive: true });
    await writeFile(join(site.out, 'fc/bypassed/index.html'), injected);
    const { page, errors } = await open(browser, `${site.base}/fc/bypassed/`);
    await page.locator('#go').click();
    await page.waitForTimeout(100);
    const state = await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: string }).__xss,
      violations: (window as unknown as { __violations: string[] }).__violations,
    }));
    await page.close();
    assert.equal(state.xss, undefined);
    assert.deepEqual(errors, []);
    assert.ok(
      state.violations.some((v) => v.startsWith('script-src-elem inline')),
      JSON.stringify(state.violations),
    );
    assert.ok(
      state.violations.some((v) => v.startsWith('script-src-attr inline')),
      JSON.stringify(state.violations),
    );
  });
});
