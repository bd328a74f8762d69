import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSatteriMarkdownProcessor } from '@astrojs/markdown-satteri';
import type { Browser } from 'playwright';
import { launchBrowser } from '../support/launchBrowser.ts';
import { transform } from './fixtures.ts';

/** Script injection attempts seen in the wild, in markdown and raw HTML; each one tries `alert` or `window.__pwned`. */
const attacks = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror=alert(1)> <IMG SRC=x OnErRoR=alert(1)> <img src="x" onerror  =  "alert(1)"> <img/src=x/onerror=alert(1)>',
  '<a href="jav&#x09;ascript:alert(1)">a</a> <a href="&#x6A;avascript:alert(1)">b</a> <a href="javascript&colon;alert(1)">c</a>',
  '<a href="java&NewLine;script:alert(1)">d</a> <a href=" JAVASCRIPT:alert(1)">e</a> <a href="vbscript:x">f</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">g</a> <img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="s">',
  '<svg onload=alert(1)><script>alert(1)</script></svg> <svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<iframe src="javascript:alert(1)"></iframe> <iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object> <embed src="javascript:alert(1)">',
  '<details open ontoggle=alert(1)><summary>x</summary>y</details>',
  '<body onload=alert(1)> <style>@import "javascript:alert(1)";</style>',
  '<div style="background:url(javascript:alert(1))">h</div> <div style="width:expression(alert(1))">i</div>',
  '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form> <input onfocus=alert(1) autofocus>',
  '<base href="javascript:alert(1)//"> <meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) ![z](javascript:alert(1)) <javascript:alert(1)> [w](<javascript:alert(1)>)',
  '[r][ref] [v](&#106;avascript:alert(1)) [u](data:text/html,<script>alert(1)</script>)\n\n[ref]: javascript:alert(1)',
  '<a href="#" onclick="alert(1)">k</a> <p title="</p><script>alert(1)</script>">l</p>',
  '<!--><script>alert(1)</script>--> <![CDATA[<script>alert(1)</script>]]>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<textarea><script>alert(1)</script></textarea> <xmp><script>alert(1)</script></xmp> <template><script>alert(1)</script></template>',
  '<your-name onclick=alert(1)> <region> ${alert(1)}',
  '<a href="https://example.com/" target="_blank">new tab</a> <a href="https://example.com/" target=_blank rel=opener>again</a>',
  '<img src="x.png" name="getElementById" alt="clobber"> <a name="legacy">anchor</a>',
  '<center><font color=red>ok</font></center>',
];

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test("nothing from a source runs script in Chromium: the transformed page rendered by Astro's Markdown processor", async () => {
  const r = transform({ 'docs/a.md': `${attacks.join('\n\n')}\n` });
  const renderer = await createSatteriMarkdownProcessor({ syntaxHighlight: false });
  const { code } = await renderer.render(r.page('fc/a').body);
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.setContent(`<!doctype html><html><body><main>${code}</main></body></html>`);
  const found = await page.evaluate(() => {
    const problems: string[] = [];
    const main = document.querySelector('main')!;
    for (const el of main.querySelectorAll(
      'script, iframe, object, embed, form, input, button, svg, math, base, meta, link, style, textarea, template, noscript',
    ))
      problems.push(`<${el.localName}>`);
    for (const el of main.querySelectorAll('*')) {
      for (const { name, value } of el.attributes) {
        if (name.startsWith('on')) problems.push(`${el.localName} ${name}`);
        if (['href', 'src', 'action', 'formaction', 'poster', 'xlink:href'].includes(name)) {
          const protocol = new URL(value, 'https://site.example/fc/a/').protocol;
          if (!['http:', 'https:', 'mailto:'].includes(protocol)) problems.push(`${el.localName} ${name}=${value}`);
        }
        if (name === 'style' && /url\(|expression/i.test(value)) problems.push(`${el.localName} style=${value}`);
      }
      if (el.localName === 'a' && el.hasAttribute('target') && !/\bnoopener\b/.test(el.getAttribute('rel') ?? '')) problems.push('target without noopener');
      if (el.localName === 'img' && el.hasAttribute('name')) problems.push('img name');
    }
    return {
      problems,
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      text: main.textContent ?? '',
      legacy: !!document.querySelector('a[name="legacy"]'),
    };
  });
  await page.close();
  assert.deepEqual(found.problems, []);
  assert.deepEqual(dialogs, []);
  assert.equal(found.pwned, undefined);
  // Harmless content is still there: placeholders as text, ${…} literally, <center>/<font>, named anchors.
  assert.match(found.text, /<your-name onclick=alert\(1\)> <region> \$\{alert\(1\)\}/);
  assert.match(code, /<center><font color="red">ok<\/font><\/center>/);
  assert.ok(found.legacy);
  assert.ok(r.diagnostics.length > 20 && r.diagnostics.every((d) => d.kind === 'html'), JSON.stringify(r.diagnostics.filter((d) => d.kind !== 'html')));
});
