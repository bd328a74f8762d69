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
  assert.deepEqual(issues({ languages: 'mixed' }), [
    'sources.0.languages: must be a layout (auto, folders, suffix, none) or { layout, default }, e.g. { layout: folders, default: zh-CN }',
  ]);
  assert.deepEqual(issues({ languages: { default: 'fr' } }), ['sources.0.languages.default: must be zh-CN or en']);
  assert.match(issues({ languages: { layot: 'auto' } })[0] ?? '', /^sources\.0\.languages: .*layot/);
});

test('publishedUrls: http(s) folder URLs, normalised to end with "/"; anything else is refused with the fix', () => {
  assert.deepEqual(parse({ publishedUrls: ['https://serverless-devs.com/fc', 'http://docs.example.com/'] }).publishedUrls, [
    'https://serverless-devs.com/fc/',
    'http://docs.example.com/',
  ]);
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
  writeFileSync(
    file,
    [
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
    ].join('\n'),
  );
  const [devs, guide] = loadSources(file);
  assert.deepEqual(devs?.languages, { layout: 'folders', default: 'zh-CN' });
  assert.deepEqual(devs?.publishedUrls, ['https://serverless-devs.com/serverless-devs/']);
  assert.deepEqual(guide?.languages, { layout: 'none', default: 'zh-CN' });
  assert.equal(guide?.localPath, join(dir, 'guide'));
});

test('site languages: English only, a Chinese-first site with labels, and absent (today: Chinese at /, English at /en/)', () => {
  const en = parseSources(
    {
      sources: [base, { id: 'zh-docs', title: 'ZH', repo: 'a/b', languages: { layout: 'folders' } }],
      site: { languages: [{ code: 'en', label: 'English' }], defaultLanguage: 'en' },
    },
    '/base',
  );
  assert.deepEqual(en[0]!.languages, { layout: 'auto', default: 'en', site: { languages: ['en'], labels: { en: 'English' } } });
  assert.deepEqual(en[1]!.languages, { layout: 'folders', default: 'en', site: { languages: ['en'], labels: { en: 'English' } } });
  const zh = parseSources({ sources: [base], site: { languages: [{ code: 'en' }, { code: 'zh', label: '中文' }], defaultLanguage: 'zh-CN' } }, '/base');
  assert.deepEqual(zh[0]!.languages, { layout: 'auto', default: 'zh-CN', site: { languages: ['zh-CN', 'en'], labels: { en: 'English', 'zh-CN': '中文' } } });
  assert.equal(parseSources({ sources: [base] }, '/base')[0]!.languages, undefined);
});

test('site languages: English at / with Chinese as the second language (at /zh/), in either listing order', () => {
  const expected = { layout: 'auto', default: 'en', site: { languages: ['en', 'zh-CN'], labels: { en: 'English', 'zh-CN': '中文' } } };
  for (const languages of [
    [{ code: 'en' }, { code: 'zh-CN', label: '中文' }],
    [{ code: 'zh', label: '中文' }, { code: 'en' }],
  ]) {
    const parsed = parseSources({ sources: [base], site: { languages, defaultLanguage: 'en' } }, '/base');
    assert.deepEqual(parsed[0]!.languages, expected);
  }
  // Listed first, English is the default without saying so.
  assert.deepEqual(parseSources({ sources: [base], site: { languages: [{ code: 'en' }, { code: 'zh-CN' }] } }, '/base')[0]!.languages?.site?.languages, [
    'en',
    'zh-CN',
  ]);
  // `zh` is a URL prefix now, like `en`: no source may take it as its id.
  assert.throws(() => parseSources({ sources: [{ ...base, id: 'zh' }] }, '/base'), /sources\.0\.id: is reserved for the site itself/);
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
  assert.deepEqual(siteIssues({ languages: [{ code: 'en' }], defaultLanguage: 'zh' }), [
    'site.defaultLanguage: zh-CN is not in site.languages: add it there, or pick one of en',
  ]);
  assert.match(siteIssues({ languages: [{ code: 'en', lable: 'x' }] })[0] ?? '', /^site\.languages\.0: .*lable/);
  assert.deepEqual(siteIssues({ languages: [{ code: 'en' }] }, { languages: { default: 'zh-CN' } }), [
    "sources.0.languages.default: zh-CN is not one of the site's languages (site.languages: en): add it there, or remove this default",
  ]);
});

test('owners: mail and DingTalk (@ mobiles on the site robot, or a robot of their own); mistakes named with the fix', () => {
  assert.deepEqual(parse({ owners: { mail: ['fc@example.com'], dingtalk: { atMobiles: ['13800000000'] } } }).owners, {
    mail: ['fc@example.com'],
    notify: 'problems',
    dingtalk: { atMobiles: ['13800000000'] },
  });
  const robot = 'https://oapi.dingtalk.com/robot/send?access_token=abc';
  assert.deepEqual(parse({ owners: { dingtalk: { url: robot, secret: 'SECx' }, notify: 'changes' } }).owners, {
    mail: [],
    notify: 'changes',
    dingtalk: { atMobiles: [], url: robot, secret: 'SECx' },
  });
  assert.deepEqual(issues({ owners: {} }), ['sources.0.owners: names nobody: add "mail: [address]" and/or "dingtalk: { atMobiles: [mobile] }"']);
  assert.deepEqual(issues({ owners: { mail: ['not an address'] } }), ['sources.0.owners.mail.0: must be a mail address, e.g. "fc-team@example.com"']);
  assert.deepEqual(issues({ owners: { dingtalk: { atMobiles: ['abc'] } } }), [
    'sources.0.owners.dingtalk.atMobiles.0: must be a mobile number as registered in DingTalk, e.g. "13800000000"',
  ]);
  assert.deepEqual(issues({ owners: { dingtalk: { secret: 'SECx' } } }), [
    'sources.0.owners.dingtalk: needs "atMobiles" (people @-mentioned by the site\'s robot) and/or "url" (a robot of their own)',
    'sources.0.owners.dingtalk.secret: only applies with "url" (the owners\' own robot); add the url or remove it',
  ]);
  assert.match(issues({ owners: { mail: ['a@b.co'], notify: 'always' } })[0]!, /^sources\.0\.owners\.notify: must be "problems"/);
  assert.match(issues({ owners: { email: ['a@b.co'] } })[0]!, /^sources\.0\.owners: /);
});

test('owners: the robot URL and secret may be ${NAME}, read from the environment; unset names say so; null env leaves owners out', () => {
  const owners = { dingtalk: { url: '${FC_ROBOT_URL}', secret: '${FC_ROBOT_SECRET}' } };
  const doc = { sources: [{ ...base, owners }] };
  const env = { FC_ROBOT_URL: 'https://oapi.dingtalk.com/robot/send?access_token=t0k', FC_ROBOT_SECRET: 'SECabc' };
  assert.deepEqual(parseSources(doc, '/base', 'sources file', env)[0]!.owners?.dingtalk, { atMobiles: [], url: env.FC_ROBOT_URL, secret: 'SECabc' });
  try {
    parseSources(doc, '/base', 'sources file', { FC_ROBOT_URL: 'not a url' });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.issues, [
      'sources.0.owners.dingtalk.url: FC_ROBOT_URL must be the robot\'s webhook URL, e.g. "https://oapi.dingtalk.com/robot/send?access_token=…"',
      "sources.0.owners.dingtalk.secret: FC_ROBOT_SECRET is not set; set it in the environment or .env (the robot's 加签 secret)",
    ]);
  }
  assert.equal(parseSources(doc, '/base', 'sources file', null)[0]!.owners, undefined);
});
