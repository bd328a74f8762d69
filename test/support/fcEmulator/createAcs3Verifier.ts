/**
 * Verifies an FC 3.0 OpenAPI request signed with ACS3-HMAC-SHA256, the way the service does, with
 * its own implementation of the documented algorithm (not the code under test): every x-acs-* and
 * content-type header signed, sorted SignedHeaders, the body digest, a date within 15 minutes, a
 * nonce used once, the STS token that belongs to the key, and InvokeFunction at version 2023-03-30.
 * Shared by the FC API stand-in and the FC emulator (the algorithm itself: ../verifyAcs3.ts, also used by
 * the CDN stand-in). Errors in FC 3.0's {Code, Message} terms.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type Acs3Verdict, verifyAcs3 } from '../verifyAcs3.ts';

export type Verdict = Acs3Verdict;
export type Acs3Credentials = Record<string, { secret: string; securityToken?: string }>;

/** A verifier over known credentials (verifyAcs3 for InvokeFunction 2023-03-30, nonces remembered): undefined when the request is authentic, else FC's refusal. */
export function createAcs3Verifier(credentials: Acs3Credentials, now: () => number = Date.now) {
  const seenNonces = new Set<string>();
  return (method: string, rawUrl: string, headers: IncomingHttpHeaders, body: Buffer): Verdict | undefined =>
    verifyAcs3({ method, rawUrl, headers, body, credentials, now: now(), seenNonces, action: 'InvokeFunction', version: '2023-03-30' });
}

/** FC's code for a repeated async task id (the one FC 2.0 documents; FC 3.0 answers 409 as well). */
export const DUPLICATE_TASK_CODE = 'StatefulAsyncInvocationAlreadyExists';
/** FC's async payload limit. */
export const MAX_ASYNC_PAYLOAD = 128 * 1024;
/** FC's rule for async task ids. */
export const TASK_ID = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
