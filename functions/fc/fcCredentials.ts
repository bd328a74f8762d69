import type { AcsCredentials } from './signAcs3.ts';

/**
 * The function role's temporary credentials as Function Compute hands them to the function: in the
 * environment (ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / ALIBABA_CLOUD_SECURITY_TOKEN) and, fresh on
 * every request, in the x-fc-access-key-id / x-fc-access-key-secret / x-fc-security-token headers.
 * Undefined when the function has no role.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): AcsCredentials | undefined {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID?.trim();
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET?.trim();
  if (!accessKeyId || !accessKeySecret) return undefined;
  const securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN?.trim();
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}

/** The same credentials from FC's per-request headers; undefined when they are absent. */
export function credentialsFromHeaders(headers: Headers): AcsCredentials | undefined {
  const accessKeyId = headers.get('x-fc-access-key-id')?.trim();
  const accessKeySecret = headers.get('x-fc-access-key-secret')?.trim();
  if (!accessKeyId || !accessKeySecret) return undefined;
  const securityToken = headers.get('x-fc-security-token')?.trim();
  return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}
