/**
 * Sources file `versions:` of a GitHub source: which branches and tags are published beside the tracked
 * branch, each as its own tree under `/<source>/<version>/`. Validated once, with the field and the fix.
 */
import { z } from 'zod';
import type { VersionsConfig } from '../types.ts';

/** A ref name pattern: git's ref characters, `*` for any run of them. */
const PATTERN = /^[A-Za-z0-9._/*-]+$/;
const pattern = z
  .string({ error: 'must be a branch or tag name pattern such as "v*" or "release-*"' })
  .min(1)
  .regex(PATTERN, 'must be a branch or tag name pattern: letters, digits, ".", "_", "-", "/" and "*" (e.g. "v*")');
const patterns = z
  .union([pattern, z.array(pattern)], { error: 'must be a pattern or a list of patterns, e.g. "v*" or ["v*", "stable-*"]' })
  .transform((p) => (typeof p === 'string' ? [p] : p));

export const MAX_VERSIONS = 20;

export const versionsSchema = z
  .object(
    {
      latest: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a short name for the tracked branch\'s version, e.g. "latest" or "main"')
        .optional(),
      branches: patterns.optional(),
      tags: patterns.optional(),
      newest: z
        .number({ error: `must be a whole number from 1 to ${MAX_VERSIONS}: how many of the newest tags (and branches) are published` })
        .int(`must be a whole number from 1 to ${MAX_VERSIONS}`)
        .min(1, `must be from 1 to ${MAX_VERSIONS}`)
        .max(MAX_VERSIONS, `must be at most ${MAX_VERSIONS}: each version is a whole tree of pages`)
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `has unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}: the keys are latest, branches, tags, newest`
          : 'must be a map such as { latest: latest, tags: "v*", newest: 3 }',
    },
  )
  .strict()
  .refine((v) => (v.branches?.length ?? 0) + (v.tags?.length ?? 0) > 0, {
    message: 'names no versions: add `tags: "v*"` and/or `branches: ["release-*"]`',
  })
  .transform((v): VersionsConfig => ({ latest: v.latest ?? 'latest', branches: v.branches ?? [], tags: v.tags ?? [], newest: v.newest ?? 5 }));
