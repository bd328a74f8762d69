/**
 * Script-injection attempts written for these tests, by class (the classes of the well-known cheat
 * sheets: event handlers, script URLs and their obfuscations, namespace confusion, srcdoc, forms, meta
 * refresh, base, styles, mXSS through raw-text elements, comments and CDATA), each in markdown as an
 * author would write it. Each one that ran would set `window.__xss`; each one that survived as markup
 * is caught in the tree by findUnsafe (unsafeHtml.ts).
 */
const X = "window.__xss='x'";

export const XSS_VECTORS: Record<string, string[]> = {
  handlers: [
    `<img src=x onerror="${X}">`, `<IMG SRC=x OnErRoR=${X}>`, `<img src="x" onerror  =  "${X}">`, `<img/src=x/onerror=${X}>`,
    `<body onload="${X}">`, `<details open ontoggle="${X}"><summary>t</summary>d</details>`, `<div onmouseover="${X}">hover</div>`,
    `<video src=x onerror="${X}"></video>`, `<audio src=x onerror=${X}>`, `<p onclick="${X}" title="</p><img src=x onerror=${X}>">p</p>`,
    `<input autofocus onfocus="${X}">`, `<marquee onstart="${X}">m</marquee>`, `<a href="#" onclick='${X}'>click</a>`,
    `<span onpointerenter=${X}>pointer</span>`, `<img src="x" onerror="&#119;indow.__xss='x'">`, `<img src=x\nonerror=${X}>`,
  ],
  urls: [
    `<a href="javascript:${X}">a</a>`, `<a href=" JAVASCRIPT:${X}">b</a>`, `<a href="jav&#x09;ascript:${X}">c</a>`,
    `<a href="&#x6A;avascript:${X}">d</a>`, `<a href="javascript&colon;${X}">e</a>`, `<a href="java&NewLine;script:${X}">f</a>`,
    `<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058${X}">g</a>`,
    `<a href="vbscript:msgbox(1)">h</a>`, '<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==">i</a>',
    `[md](javascript:${X}) [md2](JaVaScRiPt:${X}) [md3](<javascript:${X}>) [md4](&#106;avascript:${X})`,
    `![img](javascript:${X}) <javascript:${X}>`, `[ref][r]\n\n[r]: javascript:${X}`, `<a href="\x01javascript:${X}">j</a>`,
    `<img src="data:image/svg+xml,<svg onload=${X}>">`, `<a href="data:text/html,<script>${X}</script>">k</a>`,
  ],
  namespaces: [
    `<svg onload="${X}"></svg>`, `<svg><script>${X}</script></svg>`, `<svg><a xlink:href="javascript:${X}"><text y=20>svg a</text></a></svg>`,
    `<svg><animate onbegin="${X}" attributeName=x dur=1s>`, `<svg><set attributeName=href to="javascript:${X}">`,
    `<math><mi xlink:href="javascript:${X}">m</mi></math>`, `<math><mtext><table><mglyph><style><img src=x onerror="${X}">`,
    `<svg><style><img src=x onerror="${X}"></style></svg>`, `<svg><foreignObject><iframe srcdoc="<script>${X}</script>">`,
    `<svg></p><style><a id="</style><img src=1 onerror=${X}>">`, `<math><style><img src=x onerror=${X}></style></math>`,
  ],
  embedding: [
    `<iframe src="javascript:${X}"></iframe>`, `<iframe srcdoc="&lt;script&gt;parent.__xss='x'&lt;/script&gt;"></iframe>`,
    `<object data="javascript:${X}"></object>`, `<embed src="javascript:${X}">`, `<portal src="javascript:${X}"></portal>`,
    `<form action="javascript:${X}"><button>go</button></form>`, `<button form=f formaction="javascript:${X}">b</button>`,
    `<isindex action="javascript:${X}" type=image>`, `<meta http-equiv="refresh" content="0;url=javascript:${X}">`,
    `<base href="javascript:${X}//">`, `<link rel=import href="data:text/html,<script>${X}</script>">`,
  ],
  styles: [
    `<div style="background:url(javascript:${X})">s1</div>`, `<div style="width:expression(${X})">s2</div>`,
    `<style>@import "javascript:${X}";</style>`, `<div style="position:fixed;inset:0;z-index:9999;background:#fff">Session expired, log in again</div>`,
    `<div style="position:absolute;top:0;left:0">abs</div>`, `<div style="margin-top:-2000px">pull</div>`, `<p style="behavior:url(x.htc)">b</p>`,
    `<div style="background-image:url('https://evil.example/x.png')">load</div>`, `<p style="color:red;pos\\ition:fixed">esc</p>`,
  ],
  mxss: [
    `<noscript><p title="</noscript><img src=x onerror=${X}>"></noscript>`, `<template><script>${X}</script></template>`,
    `<textarea><script>${X}</script></textarea>`, `<xmp><script>${X}</script></xmp>`, `<title><img src=x onerror=${X}></title>`,
    `<noembed><img src=x onerror=${X}></noembed>`, `<plaintext><img src=x onerror=${X}>`, `<listing>&lt;img src=x onerror=${X}&gt;</listing>`,
    `<select><template><img src=x onerror=${X}></template></select>`, `<table><tr><td><style></td><img src=x onerror=${X}>`,
  ],
  comments: [
    `<!--><script>${X}</script>-->`, `<!-- --!><img src=x onerror=${X}> -->`, `<![CDATA[<script>${X}</script>]]>`,
    `<?xml version="1.0"?><img src=x onerror=${X}>`, `<!--<img src="--><img src=x onerror=${X}//">`, `<!DOCTYPE html><img src=x onerror=${X}>`,
  ],
  clobbering: [
    '## __svelte', '<a id="__svelte">svelte</a>', '<img src="x.png" name="getElementById" alt="clobber">', '<a name="pagefind">pf</a>',
    '<form id="StarlightThemeProvider"></form>', '<div id="starlight__sidebar">fake</div>',
  ],
  structure: ['</div></div></main><p>outside?</p>', '<div><div><span>unclosed', '</article></aside></div>', '<table><td>cell'],
};

/** Found by the differential fuzzer (seed 2): live script in the renderer's own output, before the gate existed. */
export const FUZZ_FOUND: string[] = [
  "<a href=\"x\"\nonerror=\"window.__xss='f'\">\n:abbr[\\<img src=x onerror=window.__xss='f'>]\n\\<img src=x onerror=window.__xss='f'>\n:::",
  "<a href=\"x\"\nonerror=\"window.__xss='f'\"><script>window.__xss='f'</script>\n<svg onload=window.__xss='f'>\n<p\nonclick=window.__xss='f'>\n\n<img",
  ":::note[<details open ontoggle=window.__xss='f'>]\n<details open ontoggle=window.__xss='f'>\n::: ``a\n~~~\n<script>window.__xss='f'</script>\n`",
  "<pre>\n<!-- </pre> -->\n<form><button formaction=\"javascript:window.__xss='f'\">b</button></form>\n\n*text* <form><button formaction=\"javascript:window.__xss='f'\">b</button></form> `a\n~~~\n<img src=\"x\" alt=\"a\" title=\"<img src=x onerror=window.__xss='f'>\">\n``` <div> <region> \n\n <p> <details>\n<!-- </div> -->\n<iframe srcdoc=\"<script>window.__xss='f'</script>\">",
];
