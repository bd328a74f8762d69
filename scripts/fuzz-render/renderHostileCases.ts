/** Render fuzzer generators: control characters, lone surrogates, huge lines, invalid UTF-8. */

import { LANGS } from './renderDirectiveCases.ts';
import { markdown } from './renderMarkupCases.ts';
import { int, pick, type Rand } from './renderRandom.ts';

export function control(r: Rand): string {
  const chars = [
    '\u0000',
    '\u0001',
    '\u0007',
    '\b',
    '\u000b',
    '\f',
    '\r',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u009f',
    '\u2028',
    '\u2029',
    '\ufeff',
    '\ufffe',
    '\uffff',
    '\ud800',
    '\udfff',
    '\ud83d',
    '\u202e',
    '\u200d',
    '\u0300',
  ];
  const s = Array.from({ length: 1 + int(r, 8) }, () => pick(r, chars)).join(pick(r, ['', 'x', ' ']));
  return pick(r, [
    `# Title ${s}\n\nText ${s}\n`,
    `## ${s}\n`,
    `[${s}](#${s})\n`,
    `\`${s}\`\n`,
    `\`\`\`${pick(r, LANGS)}\n${s}\n\`\`\`\n`,
    `:::note[${s}]\n${s}\n:::\n`,
    `| ${s} |\n|---|\n| ${s} |\n`,
    `${s}\n`,
  ]);
}

export function huge(r: Rand): string {
  const n = pick(r, [10_000, 100_000, 300_000]);
  return pick(r, [
    `${'a'.repeat(n)}\n`,
    `# ${'h'.repeat(n / 10)}\n`,
    `\`\`\`js\n${'x'.repeat(n)}\n\`\`\`\n`,
    `${Array.from({ length: 2000 }, (_, i) => `## H ${i % 7}`).join('\n\n')}\n`,
    `| ${Array.from({ length: 200 }, (_, i) => `c${i}`).join(' | ')} |\n|${'---|'.repeat(200)}\n`,
    `${'*'.repeat(n / 10)}x\n`,
    `${'['.repeat(n / 100)}x${']'.repeat(n / 100)}\n`,
    `${'`'.repeat(n / 100)}\n`,
  ]);
}

export function encoding(r: Rand): Uint8Array {
  const good = Buffer.from(`# Bytes\n\n${markdown(r)}`);
  const bad = pick(r, [[0xff], [0xc3], [0xe4, 0xb8], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x80], [0xfe, 0xff], [0xef, 0xbb, 0xbf]]);
  const at = int(r, good.length + 1);
  return Buffer.concat([good.subarray(0, at), Buffer.from(bad), good.subarray(at)]);
}
