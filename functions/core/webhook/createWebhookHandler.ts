import { emitterEventNames } from '@octokit/webhooks';
import type { AcceptResult, DeliveryDecision, DeliveryInfo } from '../queue/BuildQueue.ts';
import type { PreviewSettings } from '../config/previewSettings.ts';
import type { SourceConfig } from '../types.ts';
import { json, jsonError } from '../http/json.ts';
import { decidePullRequest, pullRequestFields } from './decidePullRequest.ts';
import { decidePush, pushFields } from './decidePush.ts';
import { BodyTooLargeError, readBody } from './readBody.ts';
import { verifySignature } from './verifySignature.ts';

export interface WebhookDeps {
  secret: string | undefined;
  sources: readonly SourceConfig[];
  /** Records the delivery and queues its build: the embedded queue, or Function Compute's async invocation. */
  queue: {
    acceptDelivery(delivery: DeliveryInfo, decision: DeliveryDecision): AcceptResult | Promise<AcceptResult>;
    /** Keep a note of a refused delivery for the ledger (bounded; optional). */
    recordRejection?(rejection: { guid?: string; event?: string; status: number; reason: string }): void;
  };
  /** Called after a build was durably queued (wakes the worker). */
  onQueued?: (buildId: string) => void;
  maxBytes?: number;
  /** PR previews (PREVIEWS, PREVIEW_DRAFTS, PREVIEW_FORKS); absent (and no `previewsUnavailable`): pull_request deliveries are ignored like other events. */
  previews?: PreviewSettings;
  /** Why this deployment cannot preview pull requests at all (Function Compute): deliveries are skipped with it. */
  previewsUnavailable?: string;
}

const KNOWN_EVENTS = new Set(emitterEventNames.map((n) => n.split('.')[0]));
const GUID = /^[A-Za-z0-9-]{1,100}$/;

function parsePayload(body: Uint8Array, contentType: string): unknown {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  if (contentType === 'application/json') return JSON.parse(text);
  const payload = new URLSearchParams(text).get('payload');
  if (payload === null) throw new Error('form body has no "payload" field');
  return JSON.parse(payload);
}

/**
 * GitHub's webhook endpoint as a web-standard handler. Order matters: cheap header checks, then the
 * signature over the raw bytes, and only then parsing. A 202 means the job is durably recorded.
 */
export function createWebhookHandler(deps: WebhookDeps): (request: Request) => Promise<Response> {
  const maxBytes = deps.maxBytes ?? 25 * 1024 * 1024;
  return async (request) => {
    if (request.method !== 'POST') return jsonError(405, 'use POST', undefined, { allow: 'POST' });
    let event: string | null = null;
    let guid: string | null = null;
    const reject = (status: number, reason: string, hint?: string): Response => {
      try {
        deps.queue.recordRejection?.({ ...(guid && GUID.test(guid) ? { guid } : {}), ...(event && event.length <= 64 ? { event } : {}), status, reason });
      } catch {
        /* the ledger is best effort; the refusal stands */
      }
      return jsonError(status, reason, hint);
    };
    if (!deps.secret) {
      return jsonError(
        503,
        'webhook secret not configured: no delivery is accepted',
        'set GITHUB_WEBHOOK_SECRET to the secret configured in the GitHub webhook and restart',
      );
    }
    const contentType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'application/json' && contentType !== 'application/x-www-form-urlencoded') {
      return reject(415, `unsupported content type "${contentType.slice(0, 100)}"`, 'set the GitHub webhook content type to application/json');
    }
    event = request.headers.get('x-github-event');
    guid = request.headers.get('x-github-delivery');
    if (!event || !guid) return reject(400, 'missing X-GitHub-Event or X-GitHub-Delivery header', 'only GitHub webhook deliveries are accepted here');
    if (!GUID.test(guid)) return reject(400, 'malformed X-GitHub-Delivery header');
    let body: Uint8Array;
    try {
      body = await readBody(request, maxBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return reject(413, `payload larger than ${maxBytes} bytes`);
      return reject(400, 'could not read the request body');
    }
    if (!verifySignature(deps.secret, body, request.headers.get('x-hub-signature-256'))) {
      return reject(401, 'signature missing or does not match', 'the webhook secret in GitHub must equal GITHUB_WEBHOOK_SECRET');
    }
    let payload: unknown;
    try {
      payload = parsePayload(body, contentType);
    } catch (err) {
      return reject(400, `malformed body: ${(err as Error).message.slice(0, 200)}`);
    }
    if (event === 'ping') {
      await deps.queue.acceptDelivery({ guid, event }, { skip: 'ping' });
      return json(200, { ok: true, delivery: guid });
    }
    const previews = deps.previews ?? (deps.previewsUnavailable ? { enabled: false, drafts: false, forks: false } : undefined);
    if (event !== 'push' && !(event === 'pull_request' && previews)) {
      const reason = KNOWN_EVENTS.has(event) ? `event "${event}" does not trigger builds` : `unknown event "${event}"`;
      const r = await deps.queue.acceptDelivery({ guid, event }, { skip: reason });
      return r.duplicate ? json(200, { duplicate: true, delivery: guid }) : json(202, { skipped: true, reason, delivery: guid });
    }
    let info: DeliveryInfo;
    let decision: DeliveryDecision;
    if (previews && event === 'pull_request') {
      const fields = pullRequestFields(payload);
      if (typeof fields === 'string') return reject(400, fields);
      info = { guid, event, repo: fields.pr.repo, ref: `refs/pull/${fields.pr.number}/head` };
      decision = decidePullRequest(fields, guid, deps.sources, previews, deps.previewsUnavailable);
    } else {
      const fields = pushFields(payload);
      if (!fields) return reject(400, 'malformed push payload: repository.full_name, ref and after (a commit sha) are required');
      info = { guid, event, repo: fields.repo, ref: fields.ref };
      decision = decidePush(fields, guid, deps.sources);
    }
    let result: AcceptResult;
    try {
      result = await deps.queue.acceptDelivery(info, decision);
    } catch (err) {
      return jsonError(
        503,
        `could not record the delivery: ${(err as Error).message}`,
        'nothing was queued; redeliver it from the GitHub webhook settings once the server is healthy',
      );
    }
    if (result.duplicate) return json(200, { duplicate: true, delivery: guid, ...(result.buildId ? { id: result.buildId } : {}) });
    if (result.skipped !== undefined) return json(202, { skipped: true, reason: result.skipped, delivery: guid, id: result.build?.id });
    deps.onQueued?.(result.build!.id);
    return json(202, { id: result.build!.id, delivery: guid });
  };
}
