/**
 * Peak memory of this process and all its descendants (the site builder, Pagefind…): polls /proc and
 * sums the resident set size of the tree. Shared pages are counted once per process, so the figure is
 * an upper bound. Linux only; elsewhere it reports this process alone.
 */
import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;

function treeRss(root: number): number {
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
    todo.push(...(children.get(pid) ?? []));
  }
  return total;
}

export interface TreeMemory {
  /** Highest sum seen since the last reset, in bytes. */
  peak(): number;
  reset(): void;
  stop(): void;
}

export function watchTreeMemory(intervalMs = 100): TreeMemory {
  let peak = 0;
  const sample = (): void => {
    peak = Math.max(peak, treeRss(process.pid));
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  sample();
  return {
    peak: () => {
      sample();
      return peak;
    },
    reset: () => {
      peak = 0;
      sample();
    },
    stop: () => clearInterval(timer),
  };
}
