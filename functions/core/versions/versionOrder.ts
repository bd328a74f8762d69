/**
 * Version names in version order, and ref name patterns: which branches and tags a versioned source
 * publishes (sources file `versions:`), newest first. Numbers compare as numbers (v1.10 after v1.9) and
 * a pre-release (`v2.0.0-rc.1`) comes before its release (`v2.0.0`), as in semver.
 */

import type { SourceConfig } from '../types.ts';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const PRERELEASE = /^(.*?\d)-([0-9A-Za-z.-]+)$/;

/** Negative when `a` is the older version, positive when it is the newer one. */
export function compareVersions(a: string, b: string): number {
  const pa = PRERELEASE.exec(a);
  const pb = PRERELEASE.exec(b);
  const coreA = pa?.[1] ?? a;
  const coreB = pb?.[1] ?? b;
  const core = collator.compare(coreA, coreB);
  if (core !== 0) return core;
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  return collator.compare(pa?.[2] ?? '', pb?.[2] ?? '') || (a < b ? -1 : a > b ? 1 : 0);
}

/** Whether `name` matches one of the patterns (`*` stands for any run of characters, `/` included). */
export function matchesPattern(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`).test(name));
}

/** The longest fixed start shared by the patterns: what one `matching-refs` request lists. */
export function commonPrefix(patterns: readonly string[]): string {
  const fixed = patterns.map((p) => p.split('*')[0]!);
  let prefix = fixed[0] ?? '';
  for (const f of fixed) while (!f.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** Whether a push to `ref` may add, move or remove one of `s`'s versions. */
export function isVersionRef(s: Pick<SourceConfig, 'ref' | 'versions'>, ref: string): boolean {
  if (!s.versions) return false;
  if (ref.startsWith('refs/tags/')) return matchesPattern(ref.slice('refs/tags/'.length), s.versions.tags);
  if (ref.startsWith('refs/heads/')) {
    const branch = ref.slice('refs/heads/'.length);
    return branch !== s.ref && matchesPattern(branch, s.versions.branches);
  }
  return false;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A version's URL segment: its name in lower case, characters other than letters, digits, `.`, `_`
 * and `-` turned into `-` (`release/1.x` → `release-1.x`).
 */
export function versionSegment(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[.-]+/, '') || 'v'
  );
}
