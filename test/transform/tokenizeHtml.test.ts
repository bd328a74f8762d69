import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitizeFragment } from '../../functions/core/transform/html/sanitizeFragment.ts';
import { tokenizeHtml } from '../../functions/core/transform/html/tokenizeHtml.ts';

const clean = (html: string): { out: string; removed: string[] } => {
  const removed: string[] = [];
  const out = sanitizeFragment(html, {}, { removed: (m) => removed.push(m) });
  return { out, removed };
};

test('tokenizer: tags with every attribute form, comments, declarations and stray < signs', () => {
  const tokens = tokenizeHtml(`a < b <IMG SRC=x.png alt='a "q"' hidden/><!-- c --><!DOCTYPE html></Div ><p`);
  assert.deepEqual(
    tokens.map((t) => [t.type, t.raw]),
    [
      ['text', 'a < b '],
      ['start', `<IMG SRC=x.png alt='a "q"' hidden/>`],
      ['comment', '<!-- c -->'],
      ['declaration', '<!DOCTYPE html>'],
      ['end', '</Div >'],
      ['text', '<p'],
    ],
  );
  const img = tokens[1];
  assert.ok(img?.type === 'start');
  assert.equal(img.name, 'img');
  assert.equal(img.selfClosing, true);
  assert.deepEqual(img.attributes, [{ name: 'src', value: 'x.png' }, { name: 'alt', value: 'a "q"' }, { name: 'hidden' }]);
  assert.equal(tokens[4]?.offset, `a < b <IMG SRC=x.png alt='a "q"' hidden/><!-- c --><!DOCTYPE html>`.length);
});

test('tokenizer: an unterminated tag or attribute value is text, an unterminated comment runs to the end', () => {
  assert.deepEqual(
    tokenizeHtml('<a href="x>y').map((t) => t.type),
    ['text'],
  );
  assert.deepEqual(
    tokenizeHtml('x <!-- open').map((t) => t.type),
    ['text', 'comment'],
  );
});

test('sanitiser: upper-case and nested dropped elements, stray end tags, </br>', () => {
  assert.deepEqual(clean('<SCRIPT>a</SCRIPT>ok'), { out: 'ok', removed: ['removed <script> and its content'] });
  assert.equal(clean('<object><object>x</object>still inside</object>after').out, 'after');
  assert.equal(clean('a</script></iframe>b').out, 'ab');
  assert.equal(clean('a</br>b</img>').out, 'a<br>b');
  assert.equal(clean('<meta http-equiv="refresh" content="0;url=https://evil.example">x').out, 'x');
});

test('sanitiser: srcset with one bad candidate is removed; a placeholder end tag is text', () => {
  assert.equal(clean('<img src="a.png" srcset="a.png 1x, javascript:x 2x">').out, '<img src="a.png">');
  assert.equal(clean('<name>x</name>').out, '&lt;name&gt;x&lt;/name&gt;');
});
