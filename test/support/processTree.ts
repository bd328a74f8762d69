/**
 * Processes that belong to a test fixture, found by what they carry rather than by parentage (after
 * `kill -9` of a server its children are re-parented and no longer look related): every process
 * whose command line or environment mentions `marker` (e.g. the fixture's temp folder). Linux only.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function pidsMentioning(marker: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${name}/environ`, 'utf8');
      if (cmdline.includes(marker) || environ.includes(marker)) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** The command line of `pid`, spaces between arguments (empty when it is gone). */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}
