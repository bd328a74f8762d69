/**
 * s.yaml as Serverless Devs (edition 3.0.0) resolves it before the fc3 component sees it:
 * `${env('NAME', 'default')}` / `${env(NAME)}` / `${env.NAME}` from the environment, `${config('Key')}`
 * from `s config` (AccountID…), `${vars.x}` from `vars`, and each resource's `extend: {name}` merged
 * over the named `template` (objects deeply, arrays replaced). Used by `npm run package:fc` (the code
 * folders), the FC emulator (start commands, env, async settings) and the schema test.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: YAML documents of any shape are walked and merged here.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ResolvedResource {
  component: string;
  props: Record<string, any>;
}

export interface ResolvedSYaml {
  name: string;
  vars: Record<string, unknown>;
  resources: Record<string, ResolvedResource>;
}

export interface ResolveOptions {
  env?: Record<string, string | undefined>;
  /** `s config` values, e.g. { AccountID: '123456789' }. */
  config?: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Serverless Devs' `extend`: objects merged key by key, anything else (arrays too) replaced. */
export function mergeTemplate(base: unknown, over: unknown): any {
  if (!isObject(base) || !isObject(over)) return structuredClone(over);
  const out: Record<string, any> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeTemplate(out[k], v) : structuredClone(v);
  return out;
}

const MAGIC =
  /\$\{\s*(env\(\s*'?([A-Za-z_][A-Za-z0-9_]*)'?\s*(?:,\s*'([^']*)'\s*)?\)|env\.([A-Za-z_][A-Za-z0-9_]*)|config\(\s*'([A-Za-z0-9_]+)'\s*\)|vars\.([A-Za-z0-9_]+))\s*\}/g;

function substitute(value: unknown, lookup: (m: RegExpExecArray) => string): unknown {
  if (typeof value === 'string') return value.replace(MAGIC, (...args) => lookup(args.slice(0, -2) as unknown as RegExpExecArray));
  if (Array.isArray(value)) return value.map((v) => substitute(v, lookup));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, lookup)]));
  return value;
}

/** Resolve s.yaml text. Unknown `${vars.x}` or `${config(...)}` throw; an unset env without a default is ''. */
export function resolveSYaml(text: string, options: ResolveOptions = {}): ResolvedSYaml {
  const env = options.env ?? process.env;
  const config = options.config ?? {};
  const doc = parse(text) as Record<string, any>;
  const base = (m: RegExpExecArray, vars: Record<string, unknown>): string => {
    const [whole, , envName, envDefault, envDot, configKey, varName] = m;
    if (envName !== undefined) return env[envName] ?? envDefault ?? '';
    if (envDot !== undefined) return env[envDot] ?? '';
    if (configKey !== undefined) {
      const v = config[configKey];
      if (v === undefined) throw new Error(`s.yaml uses ${whole}: give it with \`s config\` (here: options.config.${configKey})`);
      return v;
    }
    if (!(varName! in vars)) throw new Error(`s.yaml uses ${whole} but vars has no "${varName}"`);
    return String(vars[varName!]);
  };
  const vars = substitute(doc.vars ?? {}, (m) => base(m, {})) as Record<string, unknown>;
  const lookup = (m: RegExpExecArray) => base(m, vars);
  const templates = (doc.template ?? {}) as Record<string, unknown>;
  const resources: Record<string, ResolvedResource> = {};
  for (const [name, r] of Object.entries((doc.resources ?? {}) as Record<string, any>)) {
    let props = r.props ?? {};
    if (r.extend) {
      const template = templates[r.extend.name];
      if (!template) throw new Error(`resource ${name} extends template "${r.extend.name}", which s.yaml does not define`);
      props = mergeTemplate(template, props);
    }
    resources[name] = { component: String(r.component), props: substitute(props, lookup) as Record<string, any> };
  }
  return { name: String(doc.name), vars, resources };
}

/** resolveSYaml on a file. */
export const readSYaml = (path: string, options?: ResolveOptions): ResolvedSYaml => resolveSYaml(readFileSync(path, 'utf8'), options);
