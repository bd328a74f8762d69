import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFrontmatter } from 'astro/markdown';
import { escapeMarkdown, markdownFile } from '../../functions/core/build/markdownFile.ts';
import { split } from '../support/writeContentPages.ts';

describe('markdownFile', () => {
  it('keeps tricky titles as strings and drops control characters', () => {
    const text = markdownFile({ title: 'null: #1 \u2028 "x"\u0007', slug: 'a/b' }, '\uFEFFbody\n\n\n');
    const { front, body } = split(text);
    assert.deepEqual(front, { title: 'null: #1 "x"', slug: 'a/b' });
    assert.deepEqual(parseFrontmatter(text).frontmatter, front);
    assert.equal(body, 'body\n');
  });

  it('escapes markdown punctuation but not Chinese', () => {
    assert.equal(escapeMarkdown('a*b* [c](d) <e> &amp; `f` 中文: 2024-01-01'), 'a\\*b\\* \\[c\\](d) \\<e\\> \\&amp; \\`f\\` 中文: 2024-01-01');
    assert.equal(escapeMarkdown('# not a heading'), '\\# not a heading');
    assert.equal(escapeMarkdown('- not a list'), '\\- not a list');
    assert.equal(escapeMarkdown('1. not a list'), '1\\. not a list');
  });
});
