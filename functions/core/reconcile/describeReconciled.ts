/**
 * Words for a reconcile trigger (a build queued because sweeps found sources behind their branch,
 * pushes GitHub never delivered), shared by the notifications and the build pages.
 */
import type { ReconciledSource } from '../types.ts';

const short = (sha: string): string => sha.slice(0, 7);

/** `fc 1a2b3c4 → 5d6e7f8 (2 commits)` */
export function describeReconciledSource(r: ReconciledSource): string {
  const n = r.totalCommits ?? r.commits?.length;
  return `${r.id} ${short(r.from)} → ${short(r.to)}${n === undefined ? '' : ` (${n} commit${n === 1 ? '' : 's'})`}`;
}

/** One line per caught-up commit: `5d6e7f8 Fix the quick start (Ada)`, newest last. */
export function describeCaughtUpCommits(r: ReconciledSource): string[] {
  return (r.commits ?? []).map((c) => `${short(c.sha)} ${c.message}${c.author ? ` (${c.author})` : ''}`);
}

export function describeReconcile(sources: readonly ReconciledSource[]): { short: string; long: string } {
  const ids = sources.map((s) => s.id);
  return {
    short: `reconciled ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ` +${ids.length - 3}` : ''}`,
    long: `reconcile: pushes never delivered, caught up from GitHub: ${sources.map(describeReconciledSource).join('; ')}`,
  };
}
