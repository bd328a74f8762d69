/**
 * Peak memory of this process and all its descendants (the site builder, Pagefind…): polls /proc and
 * sums the resident set size of the tree. Shared pages are counted once per process, so the figure is
 * an upper bound. Linux only; elsewhere it reports this process alone. `parts()` gives the peak of each
 * kind of process apart (this one with its worker threads, the site builder, Pagefind…), to see which
 * one grows.
 */
import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;

/** What a process of the tree is: `bench` (this one), `site builder` (siteWorker.ts), else its command name. */
function roleOf(pid: number, root: number): string {
  if (pid === root) return 'bench';
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('siteWorker')) return 'site builder';
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return 'other';
  }
}

function treeRss(root: number, parts?: Map<string, number>): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return process.memoryUsage().rss;
  }
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of entries) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid … — comm may hold spaces and parentheses, so split after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const pid = Number(name);
      (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(pid);
      rss.set(pid, Number(readFileSync(`/proc/${name}/statm`, 'utf8').split(' ')[1]) * PAGE);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    total += rss.get(pid) ?? 0;
    if (parts) {
      const role = roleOf(pid, root);
      parts.set(role, (parts.get(role) ?? 0) + (rss.get(pid) ?? 0));
    }
    todo.push(...(children.get(pid) ?? []));
  }
  return total;
}

export interface TreeMemory {
  /** Highest sum seen since the last reset, in bytes. */
  peak(): number;
  /** Highest sum seen for each kind of process since the last reset (not necessarily at the same time). */
  parts(): Map<string, number>;
  reset(): void;
  stop(): void;
}

export function watchTreeMemory(intervalMs = 100): TreeMemory {
  let peak = 0;
  let peaks = new Map<string, number>();
  const sample = (): void => {
    const now = new Map<string, number>();
    peak = Math.max(peak, treeRss(process.pid, now));
    for (const [role, bytes] of now) peaks.set(role, Math.max(peaks.get(role) ?? 0, bytes));
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  sample();
  return {
    peak: () => {
      sample();
      return peak;
    },
    parts: () => {
      sample();
      return new Map(peaks);
    },
    reset: () => {
      peak = 0;
      peaks = new Map();
      sample();
    },
    stop: () => clearInterval(timer),
  };
}
