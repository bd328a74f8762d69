import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSiteIndex } from '../../functions/core/transform/siteIndex.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';
import { fetchedSource, site } from './fixtures.ts';

const devs = fetchedSource(
  {
    'docs/zh/command/readme.md': '# 命令\n\n## 全局参数\n',
    'docs/en/command/readme.md': '# Commands\n\n## Supported parameters\n',
    'docs/zh/command/config.md': '# Config\n\n## 通过环境变量配置密钥信息\n',
    'docs/zh/tips.md': '# Tips\n\n## Yaml 是否支持全局变量/环境变量\n',
  },
  {
    id: 'serverless-devs',
    title: 'Serverless Devs',
    repo: { owner: 'Serverless-Devs', name: 'Serverless-Devs' },
    paths: ['docs'],
    publishedUrls: ['https://serverless-devs.com/serverless-devs/'],
  },
  'master',
);
const spec = fetchedSource(
  { 'spec/zh/model.md': '# 模型\n\n## 组成\n' },
  { id: 'spec', title: 'Spec', repo: { owner: 'Serverless-Devs', name: 'Serverless-Devs' }, paths: ['spec'] },
  'master',
);

function fc(text: string, extra = {}) {
  return fetchedSource({ 'docs/zh/page.md': text, ...extra }, { repo: { owner: 'devsapp', name: 'fc' } });
}

test('GitHub blob/tree URLs of configured repositories become internal links, anchors matched to the target page', () => {
  const r = site([
    devs,
    spec,
    fc(
      [
        '[a](https://github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/command/readme.md#%E5%85%A8%E5%B1%80%E5%8F%82%E6%95%B0)',
        '[b](https://github.com/serverless-devs/serverless-devs/tree/main/docs/zh/command/config.md#通过环境变量配置密钥信息)',
        '[c](https://github.com/Serverless-Devs/Serverless-Devs/tree/master/docs/en/command/)',
        '[d](https://www.github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/tips.md#Yaml%E6%98%AF%E5%90%A6%E6%94%AF%E6%8C%81%E5%85%A8%E5%B1%80%E5%8F%98%E9%87%8F/%E7%8E%AF%E5%A2%83%E5%8F%98%E9%87%8F)',
        '[e](https://github.com/Serverless-Devs/Serverless-Devs/blob/master/spec/zh/model.md#组成)',
        '<a href="https://github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/en/command/readme.md#supported-parameters">en</a>',
      ].join('\n'),
    ),
  ]);
  const body = r.page('fc/page').body;
  for (const expected of [
    '[a](/serverless-devs/command/#全局参数)',
    '[b](/serverless-devs/command/config/#通过环境变量配置密钥信息)',
    '[c](/en/serverless-devs/command/)',
    '[d](/serverless-devs/tips/#yaml-是否支持全局变量环境变量)',
    '[e](/spec/model/#组成)',
    '<a href="/en/serverless-devs/command/#supported-parameters">en</a>',
  ])
    assert.ok(body.includes(expected), `missing ${expected} in\n${body}`);
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.of('fc').links.crossSource, 6);
});

test('GitHub URLs: a missing docs file on the tracked branch is broken; other branches, other repos and repo files are left alone', () => {
  const r = site([
    devs,
    fc(
      [
        '[gone](https://github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/install.md)',
        '[old](https://github.com/Serverless-Devs/Serverless-Devs/blob/v1/docs/zh/install.md)',
        '[other](https://github.com/devsapp/start-fc/blob/main/readme.md) [lic](https://github.com/Serverless-Devs/Serverless-Devs/blob/master/LICENSE)',
        '[repo](https://github.com/Serverless-Devs/Serverless-Devs) [issues](https://github.com/Serverless-Devs/Serverless-Devs/issues)',
      ].join('\n'),
    ),
  ]);
  assert.deepEqual(
    r.diagnostics.map((d) => d.message),
    [
      'Broken link "https://github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/install.md": docs/zh/install.md is not a page of source "serverless-devs" (no such file on master).',
    ],
  );
  const body = r.page('fc/page').body;
  assert.ok(body.includes('[old](https://github.com/Serverless-Devs/Serverless-Devs/blob/v1/docs/zh/install.md)'), body);
  assert.ok(body.includes('[other](https://github.com/devsapp/start-fc/blob/main/readme.md)'), body);
  assert.ok(body.includes('[repo](https://github.com/Serverless-Devs/Serverless-Devs)'), body);
});

test('GitHub Enterprise: links on the host of GITHUB_API_URL are recognised, github.com ones are not; edit links go there', () => {
  const r = site(
    [
      devs,
      fc(
        '[a](https://ghe.example.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/tips.md) [b](https://github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/tips.md)',
      ),
    ],
    { githubApiUrl: 'https://ghe.example.com/api/v3' },
  );
  const page = r.page('fc/page');
  assert.match(page.body, /\[a\]\(\/serverless-devs\/tips\/\) \[b\]\(https:\/\/github\.com\//);
  assert.equal(page.editUrl, 'https://ghe.example.com/devsapp/fc/edit/main/docs/zh/page.md');
});

test("published pages: a source's former site (English under /en/) and this site's own URLs become internal", () => {
  const r = site(
    [
      devs,
      fc(
        [
          '[a](https://serverless-devs.com/serverless-devs/command/readme#全局参数) [b](http://www.serverless-devs.com/en/serverless-devs/command/readme#supported-parameters)',
          '[c](https://serverless-devs.com/serverless-devs/tips.html) [d](https://docs.example.com/serverless-devs/command/config/)',
          '[e](/en/serverless-devs/command/#supported-parameters) [f](/fc/page/#x) [g](https://serverless-devs.com/serverless-devs/nope)',
          '',
          '## X',
        ].join('\n'),
      ),
    ],
    { siteUrls: ['https://docs.example.com/'] },
  );
  const body = r.page('fc/page').body;
  for (const expected of [
    '[a](/serverless-devs/command/#全局参数)',
    '[b](/en/serverless-devs/command/#supported-parameters)',
    '[c](/serverless-devs/tips/)',
    '[d](/serverless-devs/command/config/)',
    '[e](/en/serverless-devs/command/#supported-parameters)',
    '[f](/fc/page/#x)',
    '[g](https://serverless-devs.com/serverless-devs/nope)',
  ])
    assert.ok(body.includes(expected), `missing ${expected} in\n${body}`);
  assert.deepEqual(r.diagnostics, []);
});

test('two sources on one repository: relative links between their folders resolve across them', () => {
  const withLink = fetchedSource(
    { 'docs/zh/a.md': '[m](../../spec/zh/model.md#组成)' },
    { id: 'serverless-devs', title: 'S', repo: { owner: 'Serverless-Devs', name: 'Serverless-Devs' }, paths: ['docs'] },
    'master',
  );
  const index = buildSiteIndex([withLink, spec]);
  const result = transformSource(withLink, { siteIndex: index });
  assert.match(result.pages[0]!.body, /\[m\]\(\/spec\/model\/#组成\)/);
  assert.equal(result.links.crossSource, 1);
});

test('transformSource works without a site index, and with an index that was built from an older fetch of the source', () => {
  const old = fc('old');
  const index = buildSiteIndex([devs, old]);
  const fresh = fc('[a](https://github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/tips.md) [n](./new.md)', { 'docs/zh/new.md': '# New\n' });
  const result = transformSource(fresh, { siteIndex: index });
  assert.match(result.pages.find((p) => p.slug === 'fc/page')!.body, /\[a\]\(\/serverless-devs\/tips\/\) \[n\]\(\/fc\/new\/\)/);
  const alone = transformSource(fresh);
  assert.match(alone.pages.find((p) => p.slug === 'fc/page')!.body, /\[a\]\(https:\/\/github\.com\/.*\) \[n\]\(\/fc\/new\/\)/);
});

test('a GitHub or published URL of a page of the same source becomes internal too (counted as absolute)', () => {
  const r = site([
    fetchedSource(
      {
        'docs/zh/a.md': '[b](https://github.com/devsapp/fc/blob/main/docs/zh/b.md#Usage) [c](https://old.example.com/fc/b)',
        'docs/zh/b.md': '# B\n\n## Usage\n',
      },
      { repo: { owner: 'devsapp', name: 'fc' }, publishedUrls: ['https://old.example.com/fc/'] },
    ),
  ]);
  assert.match(r.page('fc/a').body, /\[b\]\(\/fc\/b\/#usage\) \[c\]\(\/fc\/b\/\)/);
  assert.deepEqual({ absolute: r.links.absolute, crossSource: r.links.crossSource, anchors: r.links.anchors }, { absolute: 2, crossSource: 0, anchors: 1 });
});

test('an English-first site (Chinese at /zh/): GitHub and former-site URLs land on the page in the linked language', () => {
  const site_ = { languages: ['en' as const, 'zh-CN' as const], labels: { en: 'English', 'zh-CN': '简体中文' } };
  const r = site([
    fetchedSource(
      {
        'docs/en/a.md':
          '[zh b](https://github.com/devsapp/fc/blob/main/docs/zh/b.md) [en b](https://old.example.com/en/fc/b) [old b](https://old.example.com/fc/b)',
        'docs/en/b.md': '# B\n',
        'docs/zh/b.md': '# 乙\n',
        'docs/zh/c.md': '# 丙\n',
        'docs/zh/a.md': '[c](https://old.example.com/fc/c)',
      },
      { repo: { owner: 'devsapp', name: 'fc' }, publishedUrls: ['https://old.example.com/fc/'], languages: { layout: 'auto', default: 'en', site: site_ } },
    ),
  ]);
  // An unprefixed former URL is the English page where there is one, else the Chinese one.
  assert.match(r.page('fc/a').body, /\[zh b\]\(\/zh\/fc\/b\/\) \[en b\]\(\/fc\/b\/\) \[old b\]\(\/fc\/b\/\)/);
  assert.match(r.page('zh/fc/a').body, /\[c\]\(\/zh\/fc\/c\/\)/);
  assert.deepEqual(r.diagnostics, []);
});

test('broken links into another source name it as their target (for inbound breakage); links within the source do not', () => {
  const r = site([
    devs,
    spec,
    fc(
      [
        '[gone](https://github.com/Serverless-Devs/Serverless-Devs/blob/master/spec/zh/gone.md)',
        '[anchor](https://github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/tips.md#nowhere)',
        '[path](/serverless-devs/gone/) [en](/en/spec/gone/)',
        '[own](/fc/missing/) [rel](./missing.md) [file](/spec/diagram.png) [fine](/spec/model/#组成)',
      ].join('\n'),
    ),
  ]);
  assert.deepEqual(
    r.diagnostics.map((d) => [d.line, d.target]),
    [
      [1, { source: 'spec', url: 'https://github.com/Serverless-Devs/Serverless-Devs/blob/master/spec/zh/gone.md', reason: 'file' }],
      [2, { source: 'serverless-devs', url: 'https://github.com/Serverless-Devs/Serverless-Devs/blob/master/docs/zh/tips.md#nowhere', reason: 'anchor' }],
      [3, { source: 'serverless-devs', url: '/serverless-devs/gone/', reason: 'file' }],
      [3, { source: 'spec', url: '/en/spec/gone/', reason: 'file' }],
      [4, undefined],
    ],
  );
  assert.match(r.diagnostics[2]?.message ?? '', /Broken link "\/serverless-devs\/gone\/": no page of source "serverless-devs" at \/serverless-devs\/gone\//);
});
