import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { LanguageSettings, SourceConfig } from '../types.ts';
import { ConfigError, parseWithFriendlyErrors } from './ConfigError.ts';
import { siteSchema } from './siteLanguages.ts';
import { expandOwnerSecrets } from './expandOwnerSecrets.ts';
import { ownersSchema } from './ownersSchema.ts';
import { versionsSchema } from './versionsSchema.ts';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const RESERVED_IDS = new Set(['en', 'zh', 'webhook', 'rebuild', 'builds', 'healthz', 'deliveries', '_astro', '_builds', 'pagefind']);

const docsPath = z
  .string()
  .min(1)
  .refine((p) => !isAbsolute(p) && !p.split('/').includes('..'), {
    message: 'must be a folder inside the repository (no leading "/" and no ".."); use "." for the root',
  })
  .transform((p) => (p === '.' ? '.' : p.replace(/^\.\//, '').replace(/\/+$/, '')));

const LAYOUTS = ['auto', 'folders', 'suffix', 'none'] as const;
const layout = z.enum(LAYOUTS, { error: 'must be one of auto, folders, suffix, none (see README "Languages")' });
const language = z
  .string({ error: 'must be zh-CN or en' })
  .refine((l) => ['zh-cn', 'zh', 'en'].includes(l.toLowerCase()), { message: 'must be zh-CN or en' })
  .transform((l): LanguageSettings['default'] => (l.toLowerCase() === 'en' ? 'en' : 'zh-CN'));

/** `languages: auto` or `languages: { layout: folders, default: en }`. */
const languagesSchema = z
  .union([layout, z.object({ layout: layout.optional(), default: language.optional() }).strict()], {
    error: 'must be a layout (auto, folders, suffix, none) or { layout, default }, e.g. { layout: folders, default: zh-CN }',
  })
  .transform((l) => (typeof l === 'string' ? { layout: l } : l));

const publishedUrl = z
  .string()
  .refine((u) => /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(u), {
    message: 'must be an http(s) URL of the folder the pages were published under, e.g. "https://example.com/fc/" (no ?query or #anchor)',
  })
  .transform((u) => (u.endsWith('/') ? u : `${u}/`));

const sourceSchema = z
  .object({
    id: z
      .string({ error: 'is required: a short URL slug such as "fc"' })
      .regex(ID, 'must be lower-case letters, digits and "-" (it becomes the URL prefix), e.g. "fc-canary"')
      .refine((id) => !RESERVED_IDS.has(id), { message: 'is reserved for the site itself; pick another id' }),
    title: z.string({ error: 'is required: the component name shown to readers' }).min(1),
    description: z.string().optional(),
    repo: z.string().regex(REPO, 'must be "owner/name", e.g. "devsapp/fc"').optional(),
    ref: z.string().min(1).optional(),
    paths: z.array(docsPath).min(1, 'must list at least one docs folder, e.g. [docs]').optional(),
    path: z.string().min(1).optional(),
    languages: languagesSchema.optional(),
    publishedUrls: z.array(publishedUrl, { error: 'must be a list of URLs, e.g. ["https://example.com/fc/"]' }).optional(),
    owners: ownersSchema.optional(),
    versions: versionsSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.repo === undefined) === (s.path === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of "repo: owner/name" (GitHub) or "path: folder" (local)' });
    }
    if (s.path !== undefined && s.ref !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['ref'], message: 'only applies to "repo" sources; remove it' });
    }
    if (s.path !== undefined && s.versions !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['versions'], message: 'only applies to "repo" sources (branches and tags of a GitHub repository); remove it' });
    }
  });

const fileSchema = z
  .object({
    sources: z.array(sourceSchema, { error: 'is required: a list of sources (see README "Sources file")' }).min(1, 'must list at least one source'),
    site: siteSchema.optional(),
  })
  .superRefine((f, ctx) => {
    f.sources.forEach((s, i) => {
      const lang = s.languages?.default;
      if (f.site && lang && !f.site.languages.includes(lang)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sources', i, 'languages', 'default'],
          message: `${lang} is not one of the site's languages (site.languages: ${f.site.languages.join(', ')}): add it there, or remove this default`,
        });
      }
    });
    const seen = new Set<string>();
    f.sources.forEach((s, i) => {
      if (seen.has(s.id)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `"${s.id}" is used twice; ids must be unique` });
      seen.add(s.id);
    });
  });

/**
 * Validate a parsed sources document. Local paths are resolved against `baseDir`; `${NAME}` in owners'
 * robot settings is read from `env`. `env: null` is for tools that notify nobody: owners are left out.
 */
export function parseSources(doc: unknown, baseDir: string, where = 'sources file', env: NodeJS.ProcessEnv | null = process.env): SourceConfig[] {
  const parsed = parseWithFriendlyErrors(fileSchema, doc, where);
  const sources = parsed.sources.map((s) => {
    const out: SourceConfig = { id: s.id, title: s.title, paths: s.paths ?? (s.repo ? ['docs'] : ['.']) };
    if (s.description !== undefined) out.description = s.description;
    if (s.repo !== undefined) {
      const [owner, name] = s.repo.split('/') as [string, string];
      out.repo = { owner, name };
      if (s.ref !== undefined) out.ref = s.ref;
    }
    if (s.path !== undefined) out.localPath = resolve(baseDir, s.path);
    const site = parsed.site;
    if (s.languages !== undefined || site) {
      // Unmarked files are in the source's default language, else the language at the site's `/`.
      const languages: LanguageSettings = { layout: s.languages?.layout ?? 'auto', default: s.languages?.default ?? site?.languages[0] ?? 'zh-CN' };
      if (site) languages.site = site;
      out.languages = languages;
    }
    if (s.publishedUrls !== undefined && s.publishedUrls.length > 0) out.publishedUrls = s.publishedUrls;
    if (s.owners !== undefined && env !== null) out.owners = s.owners;
    if (s.versions !== undefined && out.repo) out.versions = s.versions;
    return out;
  });
  const issues = env === null ? [] : expandOwnerSecrets(sources, env);
  if (issues.length) throw new ConfigError(where, issues);
  return sources;
}

/**
 * Read and validate a YAML sources file, once. Throws ConfigError naming the field and the fix. `env`
 * (see settingsEnv) gives the values of `${NAME}` references; null leaves owners out (see parseSources).
 */
export function loadSources(file: string, env: NodeJS.ProcessEnv | null = process.env): SourceConfig[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`sources file ${file}`, [
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); set SOURCES_FILE to an existing YAML file`,
    ]);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`sources file ${file}`, [`is not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  return parseSources(doc, dirname(resolve(file)), `sources file ${file}`, env);
}
