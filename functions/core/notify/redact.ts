/** What every secret is replaced with. */
export const REDACTED = '***';

/** Secret values as they may appear in text: raw, percent-encoded, form-encoded and percent-decoded. */
function variantsOf(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  try {
    out.add(decodeURIComponent(secret));
  } catch {
    // Not percent-encoded: the raw value is enough.
  }
  return [...out].filter((v) => v.trim() !== '');
}

/** `scheme://user:password@host` → `scheme://user:***@host` (the user name stays: it helps debugging). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#"'<>]*):([^\s/?#"'<>]*)@/gi;
/** `access_token=…` in a query string, a form body or prose. */
const ACCESS_TOKEN = /\b(access_token=)[^&\s#"'<>:;,)\]]+/gi;

/**
 * Replace every secret value in `text` with `***`, plus anything that looks like a URL password or an
 * `access_token=` value even when it is not in the list. Empty or blank secrets are ignored; every
 * other one is replaced wherever it occurs, however short (a leak is worse than a mangled word).
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  const values = [...new Set(secrets.flatMap((s) => (s && s.trim() !== '' ? variantsOf(s) : [])))];
  values.sort((a, b) => b.length - a.length);
  let out = text;
  for (const v of values) out = out.split(v).join(REDACTED);
  return out.replace(URL_PASSWORD, `$1:${REDACTED}@`).replace(ACCESS_TOKEN, `$1${REDACTED}`);
}
