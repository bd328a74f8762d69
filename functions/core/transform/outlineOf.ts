import { VFile } from 'vfile';
import { createOutlineProcessor } from './createProcessor.ts';
import { limitNesting } from './limitNesting.ts';
import type { Outline } from './outline.ts';
import type { DocsData, TransformData } from './transformData.ts';

const lenientUtf8 = new TextDecoder('utf-8');
let processor: ReturnType<typeof createOutlineProcessor> | undefined;

/**
 * The link targets (heading ids, HTML anchors) a file will have on the site, computed with the same
 * plugins as the full transform up to the point links are rewritten, from the same text (a document
 * nested too deep is text in a code block: limitNesting). Problems are not reported here (the file's
 * own transform reports them).
 */
export function outlineOf(docs: DocsData, content: Uint8Array | string): Outline {
  processor ??= createOutlineProcessor();
  const data: TransformData = { docs, diagnostics: [], page: {} };
  const text = limitNesting(typeof content === 'string' ? content : lenientUtf8.decode(content)).text;
  const file = new VFile({ value: text, path: docs.file, data });
  try {
    processor.runSync(processor.parse(file), file);
  } catch {
    // The full transform reports what went wrong with this file; here it simply has no targets.
  }
  return data.outline ?? { github: new Map(), site: [], html: new Set() };
}
