/**
 * Inbound links a build broke (issue 10 item 3): broken links of one source into another source that
 * this build changed, which were not broken after the previous build. The broken links into other
 * sources are kept in DATA_DIR (`inbound-links.json`) from build to build, so each breakage is
 * reported once: by the build that caused it. The first build has nothing to compare with and
 * reports none.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic, InboundBreak, SourceOutcome } from '../types.ts';

const FILE = 'inbound-links.json';

const keyOf = (d: Diagnostic & { target: NonNullable<Diagnostic['target']> }): string => JSON.stringify([d.source, d.file, d.target.source, d.target.url]);

function inbound(outcomes: readonly SourceOutcome[]): Array<Diagnostic & { target: NonNullable<Diagnostic['target']> }> {
  return outcomes.flatMap((s) =>
    s.diagnostics.filter((d): d is Diagnostic & { target: NonNullable<Diagnostic['target']> } => d.kind === 'broken-link' && d.target !== undefined),
  );
}

/** The broken links into other sources after the previous build, or undefined before the first. */
export async function loadInboundLinks(dataDir: string): Promise<Set<string> | undefined> {
  try {
    return new Set(JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as string[]);
  } catch {
    return undefined;
  }
}

export async function saveInboundLinks(dataDir: string, outcomes: readonly SourceOutcome[]): Promise<void> {
  const file = join(dataDir, FILE);
  await writeFile(`${file}.tmp`, JSON.stringify([...new Set(inbound(outcomes).map(keyOf))]));
  await rename(`${file}.tmp`, file);
}

/** Broken links into a source this build changed (new commits) that were not broken before. */
export function findInboundBroken(previous: ReadonlySet<string> | undefined, outcomes: readonly SourceOutcome[]): InboundBreak[] {
  if (!previous) return [];
  const changed = new Set(outcomes.filter((s) => s.state === 'built' && s.previousSha !== undefined).map((s) => s.id));
  return inbound(outcomes)
    .filter((d) => changed.has(d.target.source) && !previous.has(keyOf(d)))
    .map((d) => ({
      from: { source: d.source, file: d.file, ...(d.line !== undefined ? { line: d.line } : {}) },
      to: { source: d.target.source, url: d.target.url },
      because: d.target.reason === 'anchor' ? 'anchor removed' : 'page removed',
    }));
}
