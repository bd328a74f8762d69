/** Render fuzzer generators: Markdown constructs, link and image URLs, raw HTML, MDX-looking syntax. */

import { int, oddText, pick, type Rand } from './renderRandom.ts';

export function url(r: Rand): string {
  const target = pick(r, [
    `./usage-50%.png`,
    `./${oddText(r)}.png`,
    `${oddText(r)}`,
    `/${oddText(r)}`,
    `https://example.com/${oddText(r)}`,
    `http://[::1`,
    `http://%`,
    `https://exa mple.com/`,
    `data:image/png;base64,${oddText(r)}`,
    `javascript:${oddText(r)}`,
    `mailto:${oddText(r)}`,
    `//${oddText(r)}`,
    `../${oddText(r)}.md#${oddText(r)}`,
    `#${oddText(r)}`,
    `a.md?x=${oddText(r)}`,
    `file:///etc/passwd`,
    `https://x/${'%'.repeat(int(r, 5) + 1)}`,
    `<${oddText(r)}>`,
    `${'a'.repeat(5000)}.png`,
  ]);
  const title = pick(r, ['', ` "${oddText(r)}"`, ` '${oddText(r)}'`, ' (t)']);
  return pick(r, [
    `![${pick(r, ['chart', '', oddText(r)])}](${target}${title})\n`,
    `[link](${target}${title})\n`,
    `![img][ref]\n\n[ref]: ${target}${title}\n`,
    `<${pick(r, ['https://', 'http://', 'mailto:'])}${oddText(r)}>\n`,
    `<img src="${target}" alt="${oddText(r)}">\n`,
    `<a href="${target}">x</a>\n`,
    `[![badge](${target})](${target})\n`,
  ]);
}

export function html(r: Rand): string {
  return `${pick(r, [
    '<div>unclosed',
    '</div></div>',
    '<details><summary>S</summary>\n\ntext\n',
    '<br>',
    '<br/>',
    '<img>',
    '<img src>',
    `<img src=${oddText(r)}>`,
    '<!-- comment',
    '<![CDATA[x]]>',
    '<!DOCTYPE html>',
    '<svg><circle r="1"/></svg>',
    '<math><mi>x</mi></math>',
    '<table><tr><td>x',
    '&#0;',
    '&#xD800;',
    '&#x110000;',
    '&nbsp',
    '&unknown;',
    '<script>x</script>',
    '<style>p{}</style>',
    `<font color="${oddText(r)}">x</font>`,
    '<center>c</center>',
    '<a name="x">',
    '<p align="center"><img src="./a.png" width="100"></p>',
    '<template><p>x</p></template>',
    '<textarea><p>x</textarea>',
    '<kbd>Ctrl</kbd>+<kbd>C</kbd>',
    '<img src="logo.png"\nalt="logo">',
    `<${oddText(r)}>`,
    '<a href="#" id="__proto__">x</a>',
    '<h2 id="">empty id</h2>',
  ])}\n`;
}

export function mdx(r: Rand): string {
  return `${pick(r, [
    '{expression}',
    '{/* comment */}',
    '{',
    '}',
    '<Component />',
    '<Component prop={1}>x</Component>',
    "import x from 'y'",
    'export const a = 1;',
    '<>fragment</>',
    '<Tabs>\n<TabItem label="a">x</TabItem>\n</Tabs>',
    '{props.x}',
    '<Aside type="tip">x</Aside>',
    'import { Card } from \'@astrojs/starlight/components\';\n\n<Card title="x">y</Card>',
    '$x$',
    '$$\nx\n$$',
    '{{ template }}',
    '{% raw %}x{% endraw %}',
  ])}\n`;
}

export function markdown(r: Rand): string {
  return pick(r, [
    '# H {#custom-id}\n',
    '## \n',
    '######## seven\n',
    'Text[^1].\n\n[^1]: Note.\n',
    '[^x]\n',
    '- [ ] task\n- [x] done\n',
    '| a | b |\n|---|\n| 1 | 2 | 3 |\n',
    '| a |\n|:-:|\n',
    '***\n---\n___\n',
    '> [!NOTE]\n> GitHub alert\n',
    '> [!nope]\n> x\n',
    '~~strike~~ **bold** _em_\n',
    'line  \nbreak\\\nnext\n',
    '1) one\n2) two\n',
    '    indented code\n',
    '## `code` heading\n',
    '## [link](x) heading\n',
    `## ${oddText(r)}\n`,
    'Setext\n===\n',
    '#\n',
    '<https://example.com>\n',
    'www.example.com\n',
    '::: \n',
    ':::\n',
  ]);
}
