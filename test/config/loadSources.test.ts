import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError } from '../../functions/core/config/ConfigError.ts';
import { loadSources, parseSources } from '../../functions/core/config/loadSources.ts';

const base = { id: 'fc', title: 'Function Compute', repo: 'devsapp/fc' };
const parse = (extra: Record<string, unknown>) => parseSources({ sources: [{ ...base, ...extra }] }, '/base')[0]!;
const issues = (extra: Record<string, unknown>): string[] => {
  try {
    parse(extra);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.issues;
  }
  assert.fail('expected a ConfigError');
};

test('languages is optional: unset means auto layout with Chinese by default (no key on the config)', () => {
  const s = parse({});
  assert.equal(s.languages, undefined);
  assert.deepEqual({ ...s }, { id: 'fc', title: 'Function Compute', paths: ['docs'], repo: { owner: 'devsapp', name: 'fc' } });
});

test('languages: a layout name, or { layout, default }; zh, zh-CN and en in any case', () => {
  assert.deepEqual(parse({ languages: 'folders' }).languages, { layout: 'folders', default: 'zh-CN' });
  assert.deepEqual(parse({ languages: { layout: 'suffix' } }).languages, { layout: 'suffix', default: 'zh-CN' });
  assert.deepEqual(parse({ languages: { default: 'EN' } }).languages, { layout: 'auto', default: 'en' });
  assert.deepEqual(parse({ languages: { layout: 'none', default: 'zh' } }).languages, { layout: 'none', default: 'zh-CN' });
});

test('languages mistakes name the field and the fix', () => {
  assert.deepEqual(issues({ languages: 'mixed' }), ['sources.0.languages: must be a layout (auto, folders, suffix, none) or { layout, default }, e.g. { layout: folders, default: zh-CN }']);
  assert.deepEqual(issues({ languages: { default: 'fr' } }), ['sources.0.languages.default: must be zh-CN or en']);
  assert.match(issues({ languages: { layot: 'auto' } })[0] ?? '', /^sources\.0\.languages: .*layot/);
});

test('publishedUrls: http(s) folder URLs, normalised to end with "/"; anything else is refused with the fix', () => {
  assert.deepEqual(parse({ publishedUrls: ['https://serverless-devs.com/fc', 'http://docs.example.com/'] }).publishedUrls, ['https://serverless-devs.com/fc/', 'http://docs.example.com/']);
  assert.equal(parse({ publishedUrls: [] }).publishedUrls, undefined);
  assert.match(issues({ publishedUrls: ['ftp://x/'] })[0] ?? '', /^sources\.0\.publishedUrls\.0: must be an http\(s\) URL/);
  assert.match(issues({ publishedUrls: ['https://x.com/fc/#a'] })[0] ?? '', /no \?query or #anchor/);
  assert.deepEqual(issues({ publishedUrls: 'https://x.com/' }), ['sources.0.publishedUrls: must be a list of URLs, e.g. ["https://example.com/fc/"]']);
});

test('the existing keys keep their validation', () => {
  assert.match(issues({ id: 'Bad Id' })[0] ?? '', /^sources\.0\.id: must be lower-case/);
  assert.match(issues({ id: 'en' })[0] ?? '', /^sources\.0\.id: is reserved/);
  assert.match(issues({ path: './x' })[0] ?? '', /needs exactly one of "repo/);
  assert.match(issues({ paths: ['../up'] })[0] ?? '', /^sources\.0\.paths\.0: must be a folder inside the repository/);
  assert.match(issues({ colour: 'red' })[0] ?? '', /Unrecognized key.*colour/);
});

const dir = mkdtempSync(join(tmpdir(), 'docs-sync-sources-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('loadSources reads the new keys from YAML', () => {
  const file = join(dir, 'sources.yaml');
  writeFileSync(file, [
    'sources:',
    '  - id: serverless-devs',
    '    title: Serverless Devs',
    '    repo: Serverless-Devs/Serverless-Devs',
    '    paths: [docs, spec]',
    '    languages: { layout: folders, default: zh-CN }',
    '    publishedUrls: [https://serverless-devs.com/serverless-devs/]',
    '  - id: guide',
    '    title: Guide',
    '    path: guide',
    '    languages: none',
  ].join('\n'));
  const [devs, guide] = loadSources(file);
  assert.deepEqual(devs?.languages, { layout: 'folders', default: 'zh-CN' });
  assert.deepEqual(devs?.publishedUrls, ['https://serverless-devs.com/serverless-devs/']);
  assert.deepEqual(guide?.languages, { layout: 'none', default: 'zh-CN' });
  assert.equal(guide?.localPath, join(dir, 'guide'));
});

test('site languages: English only, a Chinese-first site with labels, and absent (today: Chinese at /, English at /en/)', () => {
  const en = parseSources({ sources: [base, { id: 'zh-docs', title: 'ZH', repo: 'a/b', languages: { layout: 'folders' } }], site: { languages: [{ code: 'en', label: 'English' }], defaultLanguage: 'en' } }, '/base');
  assert.deepEqual(en[0]!.languages, { layout: 'auto', default: 'en', site: { languages: ['en'], labels: { en: 'English' } } });
  assert.deepEqual(en[1]!.languages, { layout: 'folders', default: 'en', site: { languages: ['en'], labels: { en: 'English' } } });
  const zh = parseSources({ sources: [base], site: { languages: [{ code: 'en' }, { code: 'zh', label: '中文' }], defaultLanguage: 'zh-CN' } }, '/base');
  assert.deepEqual(zh[0]!.languages, { layout: 'auto', default: 'zh-CN', site: { languages: ['zh-CN', 'en'], labels: { en: 'English', 'zh-CN': '中文' } } });
  assert.equal(parseSources({ sources: [base] }, '/base')[0]!.languages, undefined);
});

test('site languages mistakes name the field and the fix', () => {
  const siteIssues = (site: unknown, extra: Record<string, unknown> = {}): string[] => {
    try {
      parseSources({ sources: [{ ...base, ...extra }], site }, '/base');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.issues;
    }
    return assert.fail('expected a ConfigError');
  };
  assert.deepEqual(siteIssues({ languages: [{ code: 'fr' }] }), ['site.languages.0.code: must be zh-CN or en']);
  assert.deepEqual(siteIssues({ languages: [] }), ['site.languages: must list at least one language, e.g. [{ code: en, label: English }]']);
  assert.deepEqual(siteIssues({ languages: [{ code: 'en' }], defaultLanguage: 'zh' }), ['site.defaultLanguage: zh-CN is not in site.languages: add it there, or pick one of en']);
  assert.match(siteIssues({ languages: [{ code: 'en' }, { code: 'zh-CN' }], defaultLanguage: 'en' })[0] ?? '', /^site\.defaultLanguage: English at \/ with Chinese at \/zh\/ is not supported yet/);
  assert.match(siteIssues({ languages: [{ code: 'en', lable: 'x' }] })[0] ?? '', /^site\.languages\.0: .*lable/);
  assert.deepEqual(siteIssues({ languages: [{ code: 'en' }] }, { languages: { default: 'zh-CN' } }), [
    "sources.0.languages.default: zh-CN is not one of the site's languages (site.languages: en): add it there, or remove this default",
  ]);
});
