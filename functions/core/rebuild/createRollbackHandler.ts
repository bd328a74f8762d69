import { z } from 'zod';
import { json, jsonError } from '../http/json.ts';
import { readJsonBody } from '../http/readJsonBody.ts';
import { requireBearer } from '../http/requireBearer.ts';

export interface RollbackDeps {
  /** The operators' token (REBUILD_TOKEN). */
  token: string | undefined;
  rollback: (release?: string) => Promise<{ release: string; previous?: string }>;
  log?: (line: string) => void;
}

const bodySchema = z
  .object({
    release: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/, 'must be a release id from GET /releases')
      .optional(),
  })
  .strict();

/** `POST /rollback` with `Authorization: Bearer <REBUILD_TOKEN>`, optional `{"release": "<id>"}` → 200. */
export function createRollbackHandler(deps: RollbackDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    const refused = requireBearer(request, deps.token, 'rollback', 'npm run rollback');
    if (refused) return refused;
    const body = await readJsonBody(request, bodySchema, { limit: 16 * 1024, example: '{"release": "<id>"}' });
    if ('refused' in body) return body.refused;
    try {
      const result = await deps.rollback(body.data.release);
      deps.log?.(`rolled back to release ${result.release}${result.previous ? ` (was ${result.previous})` : ''}`);
      return json(200, result);
    } catch (err) {
      return jsonError(409, (err as Error).message, 'GET /releases lists the kept releases');
    }
  };
}
