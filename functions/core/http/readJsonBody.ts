import type { z } from 'zod';
import { BodyTooLargeError, readBody } from '../webhook/readBody.ts';
import { jsonError } from './json.ts';

/**
 * An operator request's optional JSON body (empty means `{}`), checked against `schema`: the data, or
 * the error reply to send — 413 over `limit` bytes, 400 for bytes that are not JSON (saying what a body
 * looks like: `example`) or a body the schema refuses (naming each field).
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  options: { limit: number; example: string },
): Promise<{ data: z.infer<S> } | { refused: Response }> {
  let body: unknown = {};
  try {
    const text = new TextDecoder().decode(await readBody(request, options.limit)).trim();
    if (text) body = JSON.parse(text);
  } catch (err) {
    return { refused: err instanceof BodyTooLargeError ? jsonError(413, 'body too large') : jsonError(400, `body must be JSON like ${options.example}`) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    return { refused: jsonError(400, `invalid body: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`) };
  return { data: parsed.data };
}
