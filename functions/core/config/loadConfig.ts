import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import type { BuildState } from '../types.ts';
import { parseWithFriendlyErrors } from './ConfigError.ts';
import { checkDeployTarget, type DeployTarget, deployTargetFields, deployTargetOf } from './deployTarget.ts';
import { parseDuration } from './parseDuration.ts';
import { type PreviewSettings, previewFields, previewSettingsOf } from './previewSettings.ts';
import { previewUrlProblem } from '../http/previewHosts.ts';

/** The shipped default sources file: this project's own user guide, offline. */
export const DEFAULT_SOURCES_FILE = fileURLToPath(new URL('../../../site/sources.yaml', import.meta.url));

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (example: string) => optional.refine((v) => v === undefined || URL.canParse(v), { message: `must be a URL, e.g. ${example}` });

/** Final build states a notification can be sent for (NOTIFY_ON). */
export type NotifyState = Exclude<BuildState, 'queued' | 'running'>;
export const NOTIFY_STATES: readonly NotifyState[] = ['succeeded', 'degraded', 'failed', 'skipped', 'superseded'];
export const DEFAULT_NOTIFY_ON: readonly NotifyState[] = ['failed', 'degraded', 'succeeded'];

const notifyWords = (v: string) =>
  v
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
const notifyOn = optional
  .superRefine((v, ctx) => {
    if (v === undefined || v.toLowerCase() === 'none') return;
    const unknown = notifyWords(v).filter((w) => !(NOTIFY_STATES as readonly string[]).includes(w));
    if (unknown.length) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown state${unknown.length > 1 ? 's' : ''} ${unknown.map((w) => `"${w}"`).join(', ')}: use a comma-separated list of ${NOTIFY_STATES.join(', ')} (default ${DEFAULT_NOTIFY_ON.join(',')}), or none`,
      });
    }
  })
  .transform((v): NotifyState[] =>
    v === undefined ? [...DEFAULT_NOTIFY_ON] : v.toLowerCase() === 'none' ? [] : ([...new Set(notifyWords(v))] as NotifyState[]),
  );

/** A duration setting (parseDuration); `fallback` when unset; `min` (ms) keeps a schedule from hammering GitHub. */
const duration = (fallback: string, example: string, min = 0) =>
  optional
    .refine((v) => v === undefined || parseDuration(v) !== undefined, {
      message: `must be a duration such as ${example} (units ms, s, m, h, d), or 0 to turn it off`,
    })
    .refine((v) => v === undefined || parseDuration(v) === 0 || parseDuration(v)! >= min, {
      message: `must be 0 (off) or at least ${min / 1000}s, e.g. ${example}`,
    })
    .transform((v) => parseDuration(v ?? fallback)!);

export const DEFAULT_RECONCILE_EVERY = '5m';
export const DEFAULT_STALE_AFTER = '1h';
export const DEFAULT_PREVIEW_RETENTION = '14d';

const envSchema = z
  .object({
    GITHUB_WEBHOOK_SECRET: optional,
    GITHUB_TOKEN: optional,
    GITHUB_API_URL: url('https://api.github.com').transform((v) => (v ?? 'https://api.github.com').replace(/\/+$/, '')),
    REBUILD_TOKEN: optional,
    STATUS_TOKEN: optional.refine((v) => v === undefined || v === 'public' || v.length >= 16, {
      message: 'must be a long random secret (16 characters or more, e.g. from `openssl rand -hex 32`), or "public" to keep the status pages public',
    }),
    DINGTALK_WEBHOOK_URL: url('https://oapi.dingtalk.com/robot/send?access_token=…'),
    DINGTALK_SECRET: optional,
    DINGTALK_KEYWORD: optional,
    SMTP_URL: optional.refine((v) => v === undefined || /^smtps?:\/\//.test(v), {
      message: 'must look like smtp://user:pass@host:587 or smtps://user:pass@host:465',
    }),
    MAIL_FROM: optional,
    MAIL_TO: optional.transform((v) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    ),
    NOTIFY_ON: notifyOn,
    SOURCES_FILE: optional,
    DATA_DIR: optional,
    PORT: optional
      .transform((v) => (v === undefined ? 8080 : Number(v)))
      .refine((n) => Number.isInteger(n) && n >= 0 && n < 65536, { message: 'must be a port number 0-65535, e.g. 8080' }),
    PUBLIC_URL: url('https://docs.example.com'),
    ...deployTargetFields,
    RECONCILE_EVERY: duration(DEFAULT_RECONCILE_EVERY, '30s or 5m', 1000),
    STALE_AFTER: duration(DEFAULT_STALE_AFTER, '30m or 1h'),
    PREVIEW_INBOUND: optional
      .transform((v) => v?.toLowerCase())
      .refine((v) => v === undefined || v === 'fail' || v === 'warn', {
        message: 'must be "fail" (inbound links a pull request breaks fail its commit status; the default) or "warn" (the status stays success and warns)',
      })
      .transform((v) => (v ?? 'fail') as 'fail' | 'warn'),
    ...previewFields,
    PREVIEW_URL: optional.superRefine((v, ctx) => {
      const problem = v === undefined ? undefined : previewUrlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    PREVIEW_RETENTION: duration(DEFAULT_PREVIEW_RETENTION, '7d or 14d'),
  })
  .superRefine(checkDeployTarget);

export interface Config {
  webhookSecret?: string;
  githubToken?: string;
  githubApiUrl: string;
  rebuildToken?: string;
  /** STATUS_TOKEN: the token for the status pages (never "public"). */
  statusToken?: string;
  /** STATUS_TOKEN=public: the status pages stay public even for private repositories. */
  statusPublic?: boolean;
  dingtalk?: { url: string; secret?: string; keyword?: string };
  mail?: { smtpUrl: string; from: string; to: string[] };
  /** Final states that are notified (NOTIFY_ON); skipped and superseded builds only when listed. */
  notifyOn: NotifyState[];
  sourcesFile: string;
  dataDir: string;
  port: number;
  /** Base URL used in notifications; defaults to http://localhost:<port>. */
  publicUrl: string;
  /** Where builds are published: DATA_DIR/releases (local) or an OSS bucket (DEPLOY_TARGET=oss). */
  deploy: DeployTarget;
  /** How often (ms) each source's live commit is compared with its branch head (RECONCILE_EVERY); 0 = never. */
  reconcileEveryMs: number;
  /** A source lagging its branch longer than this (ms) is notified (STALE_AFTER); 0 = never. */
  staleAfterMs: number;
  /** PREVIEW_INBOUND: whether inbound links a PR breaks fail its commit status (`fail`, default) or only warn. */
  previewInbound: 'fail' | 'warn';
  /** Which pull requests get a preview (PREVIEWS, PREVIEW_DRAFTS, PREVIEW_FORKS). */
  previews: PreviewSettings;
  /** PREVIEW_URL: where PR previews are served, `{key}` in the host name (default `http://{key}.preview.localhost:<PORT>`). */
  previewUrl: string;
  /** PREVIEW_RETENTION (ms): previews not rebuilt for this long are removed; 0 = kept until their PR closes. */
  previewRetentionMs: number;
}

/** The variables settings are read from: `env` plus a `.env` file in `cwd` (real variables win). */
export function settingsEnv({ env = process.env, cwd = process.cwd() }: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): NodeJS.ProcessEnv {
  const dotenvFile = resolve(cwd, '.env');
  const fromFile = existsSync(dotenvFile) ? parseEnv(readFileSync(dotenvFile, 'utf8')) : {};
  return { ...fromFile, ...env };
}

/**
 * Read settings once from `env` (plus a `.env` file in `cwd`, whose values never override real
 * environment variables) and validate them. Throws ConfigError naming each bad variable and the fix.
 */
export function loadConfig({ env = process.env, cwd = process.cwd() }: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Config {
  const e = parseWithFriendlyErrors(envSchema, settingsEnv({ env, cwd }), 'environment');
  const config: Config = {
    githubApiUrl: e.GITHUB_API_URL,
    sourcesFile: resolve(cwd, e.SOURCES_FILE ?? DEFAULT_SOURCES_FILE),
    dataDir: resolve(cwd, e.DATA_DIR ?? '.data'),
    port: e.PORT,
    notifyOn: e.NOTIFY_ON,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    deploy: deployTargetOf(e),
    reconcileEveryMs: e.RECONCILE_EVERY,
    staleAfterMs: e.STALE_AFTER,
    previewInbound: e.PREVIEW_INBOUND,
    previews: previewSettingsOf(e),
    previewUrl: (e.PREVIEW_URL ?? `http://{key}.preview.localhost:${e.PORT}`).replace(/\/+$/, ''),
    previewRetentionMs: e.PREVIEW_RETENTION,
  };
  if (e.GITHUB_WEBHOOK_SECRET) config.webhookSecret = e.GITHUB_WEBHOOK_SECRET;
  if (e.GITHUB_TOKEN) config.githubToken = e.GITHUB_TOKEN;
  if (e.REBUILD_TOKEN) config.rebuildToken = e.REBUILD_TOKEN;
  if (e.STATUS_TOKEN === 'public') config.statusPublic = true;
  else if (e.STATUS_TOKEN) config.statusToken = e.STATUS_TOKEN;
  if (e.DINGTALK_WEBHOOK_URL) {
    config.dingtalk = { url: e.DINGTALK_WEBHOOK_URL };
    if (e.DINGTALK_SECRET) config.dingtalk.secret = e.DINGTALK_SECRET;
    if (e.DINGTALK_KEYWORD) config.dingtalk.keyword = e.DINGTALK_KEYWORD;
  }
  if (e.SMTP_URL && e.MAIL_FROM && e.MAIL_TO.length > 0) {
    config.mail = { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, to: e.MAIL_TO };
  }
  return config;
}

/** Human-readable list of settings that are missing, for the start-up banner. Never prints values. */
export function missingSettings(config: Config, env: NodeJS.ProcessEnv = {}): string[] {
  const missing: string[] = [];
  if (!config.webhookSecret) missing.push('GITHUB_WEBHOOK_SECRET is not set: /webhook refuses every delivery until it is');
  if (!config.githubToken) missing.push('GITHUB_TOKEN is not set: GitHub reads are anonymous (60 requests/hour)');
  if (!config.rebuildToken) missing.push('REBUILD_TOKEN is not set: POST /rebuild is disabled (the CLI still works)');
  if (!config.dingtalk) missing.push('DINGTALK_WEBHOOK_URL is not set: no DingTalk notifications');
  else if (!config.dingtalk.secret) missing.push('DINGTALK_SECRET is not set: DingTalk messages are sent unsigned');
  if (!config.mail) {
    const partial = ['SMTP_URL', 'MAIL_FROM', 'MAIL_TO'].filter((k) => !env[k]);
    missing.push(`${partial.join(', ') || 'SMTP_URL, MAIL_FROM, MAIL_TO'} not set: no mail notifications`);
  }
  return missing;
}
