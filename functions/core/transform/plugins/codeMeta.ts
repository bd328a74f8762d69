/**
 * Code block meta that Expressive Code (the site's code renderer) cannot take is removed here, with a
 * diagnostic, so the block still renders: an empty search term (```` ```js "" ````, `mark=""`) sends
 * its marker search into an endless loop that exhausts the builder's memory — no try/catch can save
 * that page, so it must never reach the renderer — and a `frame=` it does not know (`frame="terminall"`)
 * makes it throw, and so does an empty `ansi` block (made a `text` one). The meta is read with Expressive Code's own parser (MetaOptions), so what is removed
 * is exactly what it would have read.
 */
import { MetaOptions } from '@expressive-code/core';
import type { Code, Nodes, Root } from 'mdast';
import type { VFile } from 'vfile';
import { report } from '../transformData.ts';

const FRAMES = new Set(['code', 'terminal', 'none', 'auto']);
/** Keys whose string values are search terms (no key: a bare `"term"`). */
const TERMS = new Set(['', 'mark', 'ins', 'del']);
/** One part of a line range: a line or `first-last`, lines counted from 1. */
const RANGE = /^\s*[1-9]\d*\s*(-\s*[1-9]\d*\s*)?$/;

type Option = ReturnType<MetaOptions['list']>[number];

/** Why Expressive Code cannot take this option, or undefined when it can. */
function refused(option: Option): string | undefined {
  const key = option.key?.toLowerCase() ?? '';
  if (key === 'frame' && option.kind === 'string' && !FRAMES.has(option.value)) return `frame must be one of ${[...FRAMES].join(', ')}`;
  if (TERMS.has(key) && option.kind === 'string' && option.value === '') return 'an empty search term marks nothing and stalls the renderer';
  if (TERMS.has(key) && option.kind === 'range' && !option.value.split(',').every((part) => RANGE.test(part)))
    return 'line ranges are written like {1} or {2-4, 7}, from line 1';
  return undefined;
}

/** The meta without the options Expressive Code cannot take, and what was removed and why. */
export function cleanCodeMeta(meta: string): { meta: string; removed: string[] } {
  let kept = meta;
  const removed: string[] = [];
  // From the last option back, so earlier indices stay right.
  for (const option of new MetaOptions(meta).list().sort((a, b) => b.index - a.index)) {
    const why = refused(option);
    if (!why) continue;
    removed.unshift(`${option.raw.trim()} (${why})`);
    kept = `${kept.slice(0, option.index).trimEnd()} ${kept.slice(option.index + option.raw.length).trimStart()}`;
  }
  return { meta: removed.length ? kept.trim() : meta, removed };
}

function clean(node: Code, file: VFile): void {
  // Expressive Code's ANSI highlighting throws on a block with no text in it; as plain text it is the same empty block.
  if (node.lang?.toLowerCase() === 'ansi' && node.value.trim() === '') node.lang = 'text';
  if (!node.meta) return;
  const { meta, removed } = cleanCodeMeta(node.meta);
  if (!removed.length) return;
  node.meta = meta || null;
  report(file, 'other', `Code block options the site cannot render were left out: ${removed.join('; ')}.`, node.position?.start.line);
}

export default function codeMeta() {
  return (tree: Root, file: VFile): void => {
    const walk = (node: Nodes): void => {
      if (node.type === 'code') clean(node, file);
      else if ('children' in node) for (const child of node.children) walk(child);
    };
    walk(tree);
  };
}
