/**
 * A deployed site's published markdown turned back into stand-in sources (siteStandIns.ts): each page
 * lands at the URL it had (checked through the real slug rules), its links to the site's pages become
 * site-relative outside code, images stay on the live site, and llms-full.txt splits at page headers only.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageSlug } from '../../functions/core/pageSlug.ts';
import { parseLlmsTxt, slugOfTail, splitLlmsFull, standInFile, standInSource } from '../../functions/preview/siteStandIns.ts';

const BASE = 'https://docs.example.com';

test('every page comes back at the URL it had, languages included', () => {
  const sites = [
    { id: 'fc', tails: ['/fc/', '/fc/a/b/', '/en/fc/a/', '/fc/%E5%91%BD%E4%BB%A4/%E9%83%A8%E7%BD%B2/'] },
    { id: 'oss', tails: ['/oss/', '/oss/guide/', '/zh/oss/guide/'] },
  ];
  for (const entry of sites) {
    const source = standInSource({ ...entry, title: entry.id });
    for (const tail of entry.tails) {
      const file = standInFile(tail, '# T\n\nBody.\n', BASE);
      assert.equal(pageSlug(source.id, source.paths, file.path, source.languages), slugOfTail(tail), `${tail} → ${file.path}`);
    }
  }
});

test("a page's title goes back to front matter; links to site pages become site-relative outside code", () => {
  const md = [
    '# Deploy "it"',
    '',
    `See [setup](${BASE}/fc/setup/#options), [home](${BASE}/oss/) and <a href="${BASE}/oss/faq/">FAQ</a>.`,
    `![logo](${BASE}/assets/logo.png) [zip](${BASE}/files/a.zip) [ext](https://other.test/fc/x/)`,
    '```',
    `[in code](${BASE}/fc/x/)`,
    '```',
    '',
  ].join('\n');
  assert.equal(
    Buffer.from(standInFile('/fc/deploy/', md, BASE).content).toString(),
    [
      '---',
      'title: "Deploy \\"it\\""',
      '---',
      '',
      'See [setup](/fc/setup/#options), [home](/oss/) and <a href="/oss/faq/">FAQ</a>.',
      `![logo](${BASE}/assets/logo.png) [zip](${BASE}/files/a.zip) [ext](https://other.test/fc/x/)`,
      '```',
      `[in code](${BASE}/fc/x/)`,
      '```',
      '',
    ].join('\n'),
  );
});

test('llms.txt: components by heading, ids from page URLs; llms-full.txt splits at listed page headers only', () => {
  const llms = [
    '# Docs',
    '',
    `Each page's markdown is at its URL followed by \`index.md\`; all of them in one file: ${BASE}/llms-full.txt`,
    '',
    '## Function Compute',
    '',
    'Serverless functions.',
    '',
    `- [Home](${BASE}/fc/index.md): Start here.`,
    `- [A \\[b\\]](${BASE}/en/fc/a/index.md)`,
    '',
    '## OSS',
    '',
    `- [Guide](${BASE}/oss/guide/index.md)`,
  ].join('\n');
  assert.deepEqual(parseLlmsTxt(llms), {
    base: BASE,
    sources: [
      { id: 'fc', title: 'Function Compute', description: 'Serverless functions.', tails: ['/fc/', '/en/fc/a/'] },
      { id: 'oss', title: 'OSS', tails: ['/oss/guide/'] },
    ],
  });
  assert.equal(parseLlmsTxt('# Some other llms.txt\n\n## A\n\n- [x](https://x.test/x.md)\n'), undefined);
  const full = `<!-- ${BASE}/fc/ -->\n\n# Home\n\nAbove a rule.\n\n---\n\nBelow it.\n<!-- ${BASE}/elsewhere/ -->\n\n---\n\n<!-- ${BASE}/oss/guide/ -->\n\n# Guide\n\nText.\n`;
  assert.deepEqual(
    [...splitLlmsFull(full, BASE, new Set(['/fc/', '/oss/guide/']))],
    [
      ['/fc/', `# Home\n\nAbove a rule.\n\n---\n\nBelow it.\n<!-- ${BASE}/elsewhere/ -->\n`],
      ['/oss/guide/', '# Guide\n\nText.\n'],
    ],
  );
});
