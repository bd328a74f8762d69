/**
 * Memory of a running process as Linux reports it (`/proc/<pid>/status`), sampled on a timer: the
 * resident set (VmRSS) the kernel charges the process for, which is what a container limit sees.
 */
import { readFileSync } from 'node:fs';

/** Resident set size of `pid` in bytes, or undefined when the process is gone (or not on Linux). */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface MemorySample {
  /** Milliseconds since sampling started. */
  t: number;
  rss: number;
  /** A label the test set when the sample was taken (e.g. the phase of a load run). */
  phase: string;
}

export interface MemorySampler {
  samples: MemorySample[];
  /** Label the following samples. */
  phase(name: string): void;
  /** Take one sample now (besides the timer's). */
  sample(): MemorySample | undefined;
  stop(): void;
}

/** Sample `pid`'s RSS every `everyMs` (default 1 s) until stopped. */
export function sampleMemory(pid: number, everyMs = 1000): MemorySampler {
  const started = performance.now();
  const samples: MemorySample[] = [];
  let phase = 'start';
  const sample = (): MemorySample | undefined => {
    const rss = rssOf(pid);
    if (rss === undefined) return undefined;
    const s = { t: Math.round(performance.now() - started), rss, phase };
    samples.push(s);
    return s;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    samples,
    phase: (name) => {
      phase = name;
    },
    sample,
    stop: () => clearInterval(timer),
  };
}

/** Bytes as MB with one decimal, for printed tables. */
export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;
