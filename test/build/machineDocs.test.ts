/**
 * The link rewriting of the per-page markdown (writeMachineDocs.ts): site paths become absolute URLs
 * so a page's index.md works outside the site; code blocks, protocol-relative and external links stay.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { absoluteLinks } from '../../functions/core/build/writeMachineDocs.ts';

it('makes site-relative links and images absolute, outside fenced code only', () => {
  const md = [
    'See [deploy](/fc/命令/部署/#参数) and ![logo](/assets/logo.png), [ext](https://x.test/a), [cdn](//cdn.test/x).',
    '<a href="/oss/faq/">FAQ</a> <img src="/a.png">',
    '````md',
    '[kept](/fc/)',
    '```',
    '[still code: a shorter fence does not close it](/fc/)',
    '````',
    '[after](/guide/)',
  ].join('\n');
  assert.equal(
    absoluteLinks(md, 'https://docs.example.com'),
    [
      'See [deploy](https://docs.example.com/fc/命令/部署/#参数) and ![logo](https://docs.example.com/assets/logo.png), [ext](https://x.test/a), [cdn](//cdn.test/x).',
      '<a href="https://docs.example.com/oss/faq/">FAQ</a> <img src="https://docs.example.com/a.png">',
      '````md',
      '[kept](/fc/)',
      '```',
      '[still code: a shorter fence does not close it](/fc/)',
      '````',
      '[after](https://docs.example.com/guide/)',
    ].join('\n'),
  );
  assert.equal(absoluteLinks(md, ''), md, 'no site URL: left as they are');
});
