/**
 * Durations in settings (`RECONCILE_EVERY`, `STALE_AFTER`): a number with a unit, `ms`, `s`, `m`,
 * `h` or `d` (`30s`, `5m`, `1h30m`), or `0` for "off". Returns milliseconds, or undefined when the
 * text is not a duration (the caller says which setting and how to fix it).
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^0+$/.test(t)) return 0;
  if (t === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  let at = 0;
  for (let m = PART.exec(t); m; m = PART.exec(t)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    at = PART.lastIndex;
  }
  return at === t.length && Number.isFinite(total) ? Math.round(total) : undefined;
}

/** A duration for people: `5 min`, `1 h 30 min`, `45 s`. */
export function describeDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  const parts: string[] = [];
  const d = Math.floor(s / 86_400),
    h = Math.floor((s % 86_400) / 3600),
    m = Math.floor((s % 3600) / 60),
    sec = s % 60;
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (sec && !d) parts.push(`${sec} s`);
  return parts.join(' ');
}
