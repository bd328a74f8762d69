import { z } from 'zod';
import type { BuildRecord, SourceConfig, Trigger } from '../types.ts';
import { json, jsonError } from '../http/json.ts';
import { requireBearer } from '../http/requireBearer.ts';
import { readJsonBody } from '../http/readJsonBody.ts';

export interface RebuildDeps {
  token: string | undefined;
  sources: readonly SourceConfig[];
  /** The embedded queue, or Function Compute's async invocation (which resolves once FC accepted the task). */
  queue: { enqueue(trigger: Trigger): BuildRecord | Promise<BuildRecord> };
  onQueued?: (buildId: string) => void;
}

const bodySchema = z
  .object({
    sources: z.array(z.string()).optional(),
    full: z.boolean().optional(),
  })
  .strict();

/** Validate a rebuild request's sources against the configured ones; returns an error text or undefined. */
export function unknownSources(requested: readonly string[], sources: readonly SourceConfig[]): string | undefined {
  const known = new Set(sources.map((s) => s.id));
  // `<source>/<version>`: a version of a source with `versions:` (whether it is published is the build's to find).
  const versioned = new Set(sources.filter((s) => s.versions).map((s) => s.id));
  const unknown = requested.filter((id) => !known.has(id) && !versioned.has(id.split('/')[0]!));
  return unknown.length ? `unknown source(s): ${unknown.join(', ')} (configured: ${[...known].join(', ')})` : undefined;
}

/** `POST /rebuild` as a web-standard handler: bearer token, optional `{sources, full}`, → 202 {id}. */
export function createRebuildHandler(deps: RebuildDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    const refused = requireBearer(request, deps.token, 'manual rebuild', 'npm run rebuild');
    if (refused) return refused;
    const body = await readJsonBody(request, bodySchema, { limit: 64 * 1024, example: '{"sources": ["id"], "full": true}' });
    if ('refused' in body) return body.refused;
    const requested = body.data.sources ?? [];
    const problem = unknownSources(requested, deps.sources);
    if (problem) return jsonError(400, problem);
    const trigger = { kind: 'manual' as const, full: body.data.full ?? false, requestedBy: 'http', ...(requested.length ? { sources: requested } : {}) };
    const build = await deps.queue.enqueue(trigger);
    deps.onQueued?.(build.id);
    return json(202, { id: build.id });
  };
}
