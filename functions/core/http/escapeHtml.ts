/** Text (any value, `null`/`undefined` as empty) safe inside HTML text and quoted attributes: `& < > " '` as character references. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
