/**
 * Where a finished build is published (DEPLOY_TARGET): the local releases folder (default), or an
 * OSS bucket with static website hosting (optionally behind CDN). Validated once with the rest of
 * the configuration; the fields' messages name the fix.
 */
import { z } from 'zod';

export interface OssTarget {
  kind: 'oss';
  bucket: string;
  /** Region id without the "oss-" prefix, e.g. cn-hangzhou. */
  region: string;
  /** OSS_ENDPOINT: where OSS calls go instead of the region's public endpoint (internal endpoint, a stand-in). */
  endpoint?: string;
  /** CDN_DOMAIN: the accelerated domain whose changed URLs are refreshed after each deploy. */
  cdnDomain?: string;
  /** CDN_ENDPOINT: where CDN API calls go (default cdn.aliyuncs.com). */
  cdnEndpoint?: string;
}

export type DeployTarget = { kind: 'local' } | OssTarget;

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const REGION = /^(?:oss-)?([a-z]{2}(?:-[a-z0-9]+)+)$/;
const DOMAIN = /^(?=.{1,253}$)(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i;

/** The environment variables of the deploy target, checked field by field and together. */
export const deployTargetFields = {
  DEPLOY_TARGET: optional.refine((v) => v === undefined || ['local', 'oss'].includes(v.toLowerCase()), {
    message: 'must be "local" (the default: releases under DATA_DIR) or "oss" (an OSS bucket; set OSS_BUCKET and OSS_REGION)',
  }),
  OSS_BUCKET: optional.refine((v) => v === undefined || BUCKET.test(v), {
    message: 'must be a bucket name: 3-63 lower-case letters, digits and "-", e.g. docs-sync-site',
  }),
  OSS_REGION: optional.refine((v) => v === undefined || REGION.test(v), { message: 'must be a region id, e.g. cn-hangzhou (or oss-cn-hangzhou)' }),
  OSS_ENDPOINT: optional.refine((v) => v === undefined || (/^https?:\/\//.test(v) && URL.canParse(v)), {
    message: 'must be a URL, e.g. https://oss-cn-hangzhou-internal.aliyuncs.com',
  }),
  CDN_DOMAIN: optional.refine((v) => v === undefined || DOMAIN.test(v), {
    message: 'must be the CDN domain name only, without https:// or a path, e.g. docs.example.com',
  }),
  CDN_ENDPOINT: optional.refine((v) => v === undefined || (/^https?:\/\//.test(v) && URL.canParse(v)), {
    message: 'must be a URL, e.g. https://cdn.aliyuncs.com',
  }),
};

type Fields = { [K in keyof typeof deployTargetFields]: string | undefined };

/** Add issues for settings that only make sense together (zod superRefine of the whole environment). */
export function checkDeployTarget(e: Fields, ctx: z.RefinementCtx): void {
  if (e.DEPLOY_TARGET?.toLowerCase() !== 'oss') return;
  if (!e.OSS_BUCKET)
    ctx.addIssue({
      code: 'custom',
      path: ['OSS_BUCKET'],
      message: 'is required with DEPLOY_TARGET=oss: the bucket the site is published to, e.g. docs-sync-site',
    });
  if (!e.OSS_REGION)
    ctx.addIssue({ code: 'custom', path: ['OSS_REGION'], message: "is required with DEPLOY_TARGET=oss: the bucket's region, e.g. cn-hangzhou" });
}

export function deployTargetOf(e: Fields): DeployTarget {
  if (e.DEPLOY_TARGET?.toLowerCase() !== 'oss') return { kind: 'local' };
  const target: OssTarget = { kind: 'oss', bucket: e.OSS_BUCKET!, region: REGION.exec(e.OSS_REGION!)![1]! };
  if (e.OSS_ENDPOINT) target.endpoint = e.OSS_ENDPOINT.replace(/\/+$/, '');
  if (e.CDN_DOMAIN) target.cdnDomain = e.CDN_DOMAIN.toLowerCase();
  if (e.CDN_ENDPOINT) target.cdnEndpoint = e.CDN_ENDPOINT.replace(/\/+$/, '');
  return target;
}
