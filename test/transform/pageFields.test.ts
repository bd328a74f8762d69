import assert from 'node:assert/strict';
import { test } from 'node:test';
import { githubFileUrl, githubWebUrl } from '../../functions/core/transform/githubUrls.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';
import { fetchedSource, site, transform } from './fixtures.ts';

test('editUrl: the file in its repository on the branch that was read, path segments encoded', () => {
  const fetched = fetchedSource({ 'docs/zh/指令/部署.md': '# 部署\n' }, { repo: { owner: 'devsapp', name: 'fc' } }, 'release/v3');
  const [page] = transformSource(fetched).pages;
  assert.equal(page?.editUrl, `https://github.com/devsapp/fc/edit/release/v3/docs/zh/${encodeURIComponent('指令')}/${encodeURIComponent('部署')}.md`);
});

test('editUrl: none for a local folder source', () => {
  assert.equal(transform({ 'docs/a.md': '# A\n' }).page('fc/a').editUrl, undefined);
});

test('editUrl on GitHub Enterprise: the web host of GITHUB_API_URL', () => {
  assert.equal(githubWebUrl('https://ghe.corp.example/api/v3'), 'https://ghe.corp.example');
  assert.equal(githubWebUrl('https://api.github.com'), 'https://github.com');
  assert.equal(githubWebUrl(), 'https://github.com');
  const r = site([fetchedSource({ 'docs/a.md': 'x' }, { repo: { owner: 'o', name: 'r' } })], { githubApiUrl: 'https://ghe.corp.example/api/v3/' });
  assert.equal(r.page('fc/a').editUrl, 'https://ghe.corp.example/o/r/edit/main/docs/a.md');
  assert.equal(githubFileUrl('https://github.com', { owner: 'o', name: 'r' }, 'tree', 'main', '.'), 'https://github.com/o/r/tree/main');
});

test("lastUpdated is the date of the file's last commit in its repository; absent when unknown", () => {
  const fetched = fetchedSource({
    'docs/a.md': { path: '', content: new TextEncoder().encode('# A\n'), lastCommit: { sha: 'a'.repeat(40), date: '2024-03-13T08:00:00Z', author: 'dev' } },
    'docs/b.md': '# B\n',
  });
  const { pages } = transformSource(fetched);
  assert.deepEqual(
    pages.map((p) => [p.slug, p.lastUpdated]),
    [
      ['fc/a', '2024-03-13T08:00:00Z'],
      ['fc/b', undefined],
    ],
  );
});
