/** Small wording helpers shared by the report summaries. */

/** Items in lists are cut to this many characters. */
export const ITEM_CHARS = 200;

/** `1 page`, `3 pages`. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Cut `text` to `max` characters (code points), marking the cut; newlines become spaces. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

/** 850 ms, 4.2 s, 37 s, 2 min 5 s, 1 h 3 min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const totalMin = Math.floor(s / 60);
  if (totalMin < 60) return `${totalMin} min ${Math.round(s % 60)} s`;
  return `${Math.floor(totalMin / 60)} h ${totalMin % 60} min`;
}

/** `2024-05-01 07:00 UTC` (or the text as given when it is not a date). */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC` : iso;
}

/** Broken links listed per source, and sources whose broken links are listed. */
export const MAX_BROKEN_LINKS = 3;
export const MAX_BROKEN_LINK_SOURCES = 5;
