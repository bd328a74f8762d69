/**
 * Which pull requests get a preview (PREVIEWS, PREVIEW_DRAFTS, PREVIEW_FORKS), validated with the
 * rest of the environment (loadConfig.ts); each message names the accepted values.
 */
import { z } from 'zod';

export interface PreviewSettings {
  /** PREVIEWS=on (default): pull_request deliveries build previews; off: they are skipped with that reason. */
  enabled: boolean;
  /** PREVIEW_DRAFTS=true: draft pull requests are previewed too (default: from "ready for review" on). */
  drafts: boolean;
  /** PREVIEW_FORKS=true: pull requests from forks are previewed too (their markdown is read, never run). */
  forks: boolean;
}

const flag = (name: string, words: [string, string], fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => v?.trim().toLowerCase() || undefined)
    .refine((v) => v === undefined || [...words, 'true', 'false', 'on', 'off', '1', '0', 'yes', 'no'].includes(v), {
      message: `must be ${words[0]} or ${words[1]} (default ${fallback ? words[0] : words[1]}), e.g. ${name}=${fallback ? words[1] : words[0]}`,
    })
    .transform((v) => (v === undefined ? fallback : ['true', 'on', '1', 'yes'].includes(v)));

/** The environment variables of the preview settings (spread into loadConfig's schema). */
export const previewFields = {
  PREVIEWS: flag('PREVIEWS', ['on', 'off'], true),
  PREVIEW_DRAFTS: flag('PREVIEW_DRAFTS', ['true', 'false'], false),
  PREVIEW_FORKS: flag('PREVIEW_FORKS', ['true', 'false'], false),
};

export function previewSettingsOf(e: { PREVIEWS: boolean; PREVIEW_DRAFTS: boolean; PREVIEW_FORKS: boolean }): PreviewSettings {
  return { enabled: e.PREVIEWS, drafts: e.PREVIEW_DRAFTS, forks: e.PREVIEW_FORKS };
}
