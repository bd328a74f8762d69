/**
 * Checks fc3 `props` against the fc3 component's own JSON Schema (vendored in test/fixtures/fc3/)
 * with Ajv, as fc3 does — and, stricter than the schema, reports keys it does not define (a typo
 * such as `asyncInvokeConfg` passes the schema and is silently ignored by `s deploy`).
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

type SchemaNode = { $ref?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode; anyOf?: SchemaNode[] };
const schema = JSON.parse(readFileSync(new URL('../fixtures/fc3/schema.json', import.meta.url), 'utf8')) as SchemaNode & {
  definitions: Record<string, SchemaNode>;
};
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(node: SchemaNode, value: unknown, path: string, out: string[]): void {
  if (node.$ref) {
    unknownKeys(schema.definitions[node.$ref.replace('#/definitions/', '')]!, value, path, out);
    return;
  }
  if (node.anyOf) {
    // Unknown only if every branch says so: report the branch that fits best.
    const tries = node.anyOf.map((b) => {
      const errs: string[] = [];
      unknownKeys(b, value, path, errs);
      return errs;
    });
    out.push(...tries.reduce((best, t) => (t.length < best.length ? t : best)));
    return;
  }
  if (node.items && Array.isArray(value)) value.forEach((v, i) => unknownKeys(node.items!, v, `${path}/${i}`, out));
  if (node.properties && isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const child = node.properties[k];
      if (!child) out.push(`${path}/${k}: not a key fc3 knows`);
      else unknownKeys(child, v, `${path}/${k}`, out);
    }
  }
}

/** Every schema error and unknown key in `props`, as "path: message" lines; [] when valid. */
export function fc3PropsErrors(props: unknown): string[] {
  const out: string[] = [];
  if (!validate(props)) for (const e of validate.errors ?? []) out.push(`${e.instancePath || '/'}: ${e.message}`);
  unknownKeys(schema, props, '', out);
  return out;
}
