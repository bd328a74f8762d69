import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeStyle } from '../../functions/core/build/safeStyle.ts';

test('style keeps colour, size, spacing and alignment; drops what positions, overlays or loads', () => {
  assert.equal(
    safeStyle('color: red; text-align:center; width:80px; margin: 0 auto; font-family: "A;B", serif'),
    'color:red;text-align:center;width:80px;margin:0 auto;font-family:"A;B", serif',
  );
  assert.equal(safeStyle('--0:#82AAFF;--1:#3B61B0'), '--0:#82AAFF;--1:#3B61B0', "Expressive Code's token colours");
  for (const bad of [
    'position:fixed',
    'POSITION: absolute',
    'z-index:9999',
    'inset:0',
    'top:0',
    'transform:translate(0,-500px)',
    'margin-top:-2000px',
    'margin:calc(0px - 9em)',
    'background:url(x.png)',
    'background-image:url("https://evil.example/")',
    'color:expression(alert(1))',
    'behavior:url(x.htc)',
    'pos\\ition:fixed',
    'color:red/**/;position:fixed',
    'display:-webkit-box',
    '--x:url(a)',
    'cursor:url(x.cur), auto',
    'text-indent:-9999px',
    'clip-path:inset(0)',
    'content:"x"',
  ])
    assert.doesNotMatch(safeStyle(bad), /position|z-index|inset|top|transform|-\d|url|expression|behavior|webkit|clip|content|\\/i, bad);
  assert.equal(safeStyle('color:red;position:fixed;top:0'), 'color:red');
  assert.equal(safeStyle('display:none'), 'display:none');
  assert.equal(safeStyle(''), '');
});
